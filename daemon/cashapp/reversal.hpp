#pragma once
// A bank reversal (camt RvslInd, MT940 RC/RD, BAI2 reversal codes) or a returned payment
// (a return reason, e.g. a direct debit returned MD06) takes money back that an earlier
// credit brought. Whatever that credit placed is undone by new opposite records: its queue
// shrinks first, then its applications are unapplied newest first (reopening invoices), and
// the amount taken back is recorded as not a customer payment, so the original credit still
// adds up.

#include "arcd/model.hpp"
#include "cashapp/ledger.hpp"

namespace arcd::cashapp {

// Handles a debit entry that reverses or returns a credit. Returns false when no original
// credit could be found (the caller queues the debit for a person).
bool undo_reversed_credit(Ledger& ledger, const Entry& debit, std::string& detail);

}  // namespace arcd::cashapp
