#include "arcd/audit_chain.hpp"

#include "arcd/digest.hpp"

namespace arcd {

std::string audit_chain_hash(const std::string& prev_hash, const AuditChainFields& f) {
  std::string input;
  input.reserve(prev_hash.size() + f.at.size() + f.actor.size() + f.action.size() + f.entity_type.size() +
                f.entity_id.size() + f.reason.size() + f.details.size() + 64);
  for (const std::string* part : {&prev_hash, &f.at, &f.actor, &f.action, &f.entity_type, &f.entity_id, &f.reason, &f.details}) {
    input += std::to_string(part->size());
    input += ':';
    input += *part;
  }
  return sha256_hex(input);
}

AuditVerification verify_audit_chain(const std::function<void(const std::function<void(const AuditChainRow&)>&)>& each_row,
                                     std::int64_t head_id, const std::string& head_hash) {
  AuditVerification v;
  std::string last_hash;
  std::int64_t last_id = 0;
  auto fail = [&v](std::int64_t id, std::string why) {
    if (!v.ok) return;
    v.ok = false;
    v.first_bad_id = id;
    v.problem = std::move(why);
  };
  each_row([&](const AuditChainRow& row) {
    ++v.records;
    if (row.hash.empty()) {
      // Unchained records may only come before the first chained one.
      if (v.chained > 0) fail(row.id, "record " + std::to_string(row.id) + " has no hash after the chain began");
      else ++v.before_chain;
      return;
    }
    if (row.prev_hash != last_hash)
      fail(row.id, "record " + std::to_string(row.id) + " does not follow record " + std::to_string(last_id) +
                       " (a record between them was removed, or one was changed)");
    else if (audit_chain_hash(row.prev_hash, row.fields) != row.hash)
      fail(row.id, "record " + std::to_string(row.id) + " was changed after it was written (its hash does not match)");
    ++v.chained;
    last_hash = row.hash;
    last_id = row.id;
  });
  v.head_hash = last_hash;
  if (v.ok && (head_hash != last_hash || (v.chained > 0 && head_id != last_id)))
    fail(last_id, "the chain head names record " + std::to_string(head_id) + " but the log ends at record " +
                      std::to_string(last_id) + " (records were cut off the end)");
  return v;
}

}  // namespace arcd
