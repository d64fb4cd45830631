#pragma once
// What people do to a customer's collection between runs: disputes, holds and write-offs.
// Each validates, records (with an activity on the customer's timeline and an audit record)
// and tells the ERP through the outbox, in the caller's transaction.
// Problem codes: NOT_FOUND, DISPUTE_INVALID, HOLD_INVALID, HOLD_TOO_LONG, HOLD_RENEWAL_LIMIT,
// WRITEOFF_INVALID, WRITEOFF_FORBIDDEN (segregation of duties), CONFLICT (already decided).

#include <optional>
#include <string>

#include "arcd/error.hpp"
#include "arcd/store.hpp"
#include "collections/settings.hpp"

namespace arcd::collections {

struct DisputeRequest {
  InvoiceId invoice;
  std::optional<Money> amount;  // unset: the whole open amount
  std::string reason;           // one of settings.dispute_reasons
  std::string owner;
  std::string note;
};
Result<DisputeId> open_dispute(Transaction& tx, const CollectionsSettings& s, const DisputeRequest& r, const Actor& actor);
// resolution: customer_pays, credit_note, written_off (proposes a write-off of the disputed
// amount), rejected. The invoice's sequence resumes from where it stands.
Result<bool> resolve_dispute(Transaction& tx, DisputeId id, const std::string& resolution, const std::string& note, const Actor& actor);

struct HoldRequest {
  CustomerId customer;
  std::optional<InvoiceId> invoice;
  std::string reason;
  Date until;                   // last day held
  std::optional<HoldId> renews; // a renewal ends the hold it renews and counts against the limit
};
Result<HoldId> add_hold(Transaction& tx, const CollectionsSettings& s, const HoldRequest& r, Date today, const Actor& actor);
Result<bool> end_hold(Transaction& tx, const CollectionsSettings& s, HoldId id, Date today, const Actor& actor);

Result<std::int64_t> propose_writeoff(Transaction& tx, InvoiceId invoice, std::optional<Money> amount, const std::string& reason,
                                      const Actor& actor);
// `actor_is_manager`: the acting user has the manager role. Approval needs it and a user other
// than the proposer; the invoice's open amount drops by the write-off and the ERP is told.
Result<bool> decide_writeoff(Transaction& tx, std::int64_t id, bool approve, const Actor& actor, bool actor_is_manager);

}  // namespace arcd::collections
