#include "cashapp/reversal.hpp"

#include <algorithm>

namespace arcd::cashapp {
namespace {

constexpr const char* kRule = "reversal";

// The same list as the end-to-end index's WHERE (store migration 17): change both together.
bool usable_reference(const std::string& r) { return !r.empty() && r != "NOTPROVIDED" && r != "NONREF"; }

// What of a credit has not been taken back yet.
std::int64_t not_yet_reversed(Ledger& ledger, const Entry& credit) {
  std::int64_t reversed = 0;
  for (const auto& l : ledger.live_applications(credit.id)) {
    if (l.application.kind == ApplicationKind::not_customer && l.application.rule == kRule) reversed += l.left;
  }
  return credit.amount.minor() - reversed;
}

}  // namespace

bool undo_reversed_credit(Ledger& ledger, const Entry& debit, std::string& detail) {
  auto& tx = ledger.tx();
  std::vector<Entry> originals;
  if (usable_reference(debit.end_to_end_id)) originals = tx.cash().credits_with_end_to_end_id(debit.end_to_end_id);
  if (originals.empty() && !debit.payer_account.empty()) originals = tx.cash().credits_from(debit.payer_account, debit.amount);
  // The newest credit in the same currency that still has something to take back.
  std::reverse(originals.begin(), originals.end());
  const Entry* original = nullptr;
  std::int64_t available = 0;
  for (const auto& c : originals) {
    if (c.id == debit.id || !(c.amount.currency() == debit.amount.currency()) || c.id.value() > debit.id.value()) continue;
    if (tx.cash().state_of(c.id) == CashState::fresh) continue;  // not through cash application yet
    available = not_yet_reversed(ledger, c);
    if (available > 0) {
      original = &c;
      break;
    }
  }
  if (!original) {
    detail = "no earlier credit with end-to-end id '" + debit.end_to_end_id + "' or from account '" + debit.payer_account +
             "' over " + debit.amount.to_display() + " to take back";
    return false;
  }
  const std::int64_t take = std::min(available, debit.amount.minor());
  const std::string why = std::string(debit.reversal ? "reversed" : "returned") + " by entry " + debit.id.to_string() +
                          (debit.details.return_reason.empty() ? "" : " (" + debit.details.return_reason + ")");

  // The queue first: money nobody placed yet is simply no longer there.
  std::int64_t left = take;
  std::int64_t queued = 0;
  if (auto x = tx.cash().exception(original->id)) queued = x->amount.minor();
  const std::int64_t from_queue = std::min(queued, left);
  left -= from_queue;
  // Then what was placed, newest first.
  auto live = ledger.live_applications(original->id);
  for (auto it = live.rbegin(); it != live.rend() && left > 0; ++it) {
    if (it->application.kind == ApplicationKind::not_customer && it->application.rule == kRule) continue;
    const std::int64_t x = std::min(it->left, left);
    ledger.unapply(*it, x, why);
    left -= x;
  }
  ledger.not_customer(*original, take, kRule, why);
  const std::int64_t still_queued = queued - from_queue;
  if (still_queued > 0) {
    auto x = tx.cash().exception(original->id);
    ledger.settle(*original, still_queued, x->reason, x->detail, x->candidates, x->customer_id);
  } else {
    ledger.settle(*original, 0);
  }
  detail = why + ": " + Money(take, debit.amount.currency()).to_display() + " of entry " + original->id.to_string() + " taken back";
  return true;
}

}  // namespace arcd::cashapp
