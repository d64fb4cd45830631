#pragma once
// What a person does with the exception queue and with applications: apply an entry to
// invoices (with amounts or oldest first), put it on a customer's account, mark it as not a
// customer payment, or reverse an application. Each checks that no cent is invented, writes
// through the Ledger, records who and why in the audit log, and a manual application teaches
// the engine the payer's account.

#include <optional>
#include <string>
#include <vector>

#include "arcd/error.hpp"
#include "arcd/store.hpp"
#include "cashapp/settings.hpp"

namespace arcd::cashapp {

struct ManualLine {
  std::string invoice;           // invoice number (or "#<id>")
  std::optional<std::string> amount;  // decimal in the entry's currency; absent: what is left, oldest first
};

// Problem codes: NOT_FOUND, CASH_INVALID (with what is wrong), CASH_OVERAPPLIED.
Result<std::string> apply_entry(Transaction& tx, EntryId entry, const std::vector<ManualLine>& lines, const MatchSettings& settings,
                                Date today, const Actor& actor);
Result<std::string> put_on_account(Transaction& tx, EntryId entry, const std::string& customer, Date today, const Actor& actor);
Result<std::string> mark_not_customer(Transaction& tx, EntryId entry, const std::string& reason, Date today, const Actor& actor);
Result<std::string> reverse_application(Transaction& tx, ApplicationId id, const std::string& reason, Date today, const Actor& actor);

}  // namespace arcd::cashapp
