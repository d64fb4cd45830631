#pragma once
// The audit log's hash chain: each record carries the hash of the one before it and a hash of
// its own over that and its stored fields, so changing, removing or reordering a record
// breaks every hash after it. The chain's head (the last hash) is kept in a row of its own, so
// cutting records off the end shows too.

#include <cstdint>
#include <functional>
#include <string>

namespace arcd {

// A record's fields exactly as stored (the timestamp as its text).
struct AuditChainFields {
  std::string at, actor, action, entity_type, entity_id, reason, details;
};

// Lower-case hex SHA-256 over the previous hash and each field, length-prefixed so no two
// different records hash the same input.
std::string audit_chain_hash(const std::string& prev_hash, const AuditChainFields& f);

struct AuditChainRow {
  std::int64_t id = 0;
  AuditChainFields fields;
  std::string prev_hash, hash;  // empty: written before the chain began (schema 6)
};

struct AuditVerification {
  bool ok = true;
  std::int64_t records = 0;        // every record looked at
  std::int64_t chained = 0;        // records carrying a hash
  std::int64_t before_chain = 0;   // records written before the chain began
  std::string head_hash;           // the last record's hash: note it elsewhere to pin today's log
  std::int64_t first_bad_id = 0;   // the first record that does not verify (0: none)
  std::string problem;             // what is wrong there
};

// Walks the rows in id order (`each_row` calls its argument once per row) and checks every
// link and hash, then that the stored head names the last record.
AuditVerification verify_audit_chain(const std::function<void(const std::function<void(const AuditChainRow&)>&)>& each_row,
                                     std::int64_t head_id, const std::string& head_hash);

}  // namespace arcd
