#include "cashapp/open_items.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <unordered_set>

#include "cashapp/names.hpp"
#include "cashapp/number_keys.hpp"
#include "cashapp/references.hpp"

namespace arcd::cashapp {

std::string normalize_account(std::string_view account) {
  std::string out;
  for (char c : account) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

OpenItems::OpenItems(const MatchSettings& settings) : settings_(settings) {}

void OpenItems::add_customer(const Customer& c) {
  auto& info = customers_[c.id.value()];
  info.external_id = c.external_id;
  info.normalized_name = normalize_name(c.name);
  info.bigrams = name_bigrams(info.normalized_name);
  if (!info.normalized_name.empty()) by_name_.emplace(info.normalized_name, c.id.value());
  for (const auto& w : name_words(info.normalized_name)) by_name_word_.emplace(w, c.id.value());
}

void OpenItems::add_account(const CustomerAccount& a) {
  const std::string acct = normalize_account(a.account);
  if (acct.empty()) return;
  auto range = by_account_.equal_range(acct);
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second == a.customer_id.value()) return;
  }
  by_account_.emplace(acct, a.customer_id.value());
}

void OpenItems::add_invoice(const Invoice& i) {
  if (i.status != InvoiceStatus::open || i.amount_open.minor() <= 0) return;
  OpenInvoice o{i.id, i.customer_id, i.source, i.number, i.issue_date, i.due_date, i.amount_open.currency(),
                i.amount_open.minor(), i.external_id};
  const auto id = i.id.value();
  const auto next = static_cast<std::uint32_t>(invoices_.size());
  if (const auto slot = invoice_slots_.find_or_add(id, next); slot != next) {
    invoices_[slot] = std::move(o);  // known (reopened): its place in the indexes stands
    return;
  }
  const OpenInvoice& cur = invoices_[invoices_.push_back(std::move(o))];
  if (const auto ref = compact_reference(i.payment_reference); !ref.empty()) by_reference_.add(ref, id);
  if (!number_worker_) {
    index_number(id, i.number);
  } else {
    numbers_to_index_.emplace_back(id, i.number);
    if (numbers_to_index_.size() >= 1024) {
      number_worker_->post([this, numbers = std::make_shared<decltype(numbers_to_index_)>(std::move(numbers_to_index_))] {
        for (const auto& [number_id, number] : *numbers) index_number(number_id, number);
      });
      number_worker_->submit();
      numbers_to_index_.clear();
    }
  }
  auto& c = customers_[i.customer_id.value()];
  c.open.push_back(id);
  // Invoices arrive in id order; age order is restored only when it is broken, and while a
  // run loads, once per customer at the end (sorting at every break cost a tenth of the load).
  // The customer remembers its newest dates, so that the check reads no other invoice.
  const bool first = c.open.size() == 1;
  if (first || std::tie(cur.due_date, cur.issue_date) >= std::tie(c.newest_due, c.newest_issue)) {
    c.newest_due = cur.due_date;
    c.newest_issue = cur.issue_date;
  } else if (loading_) {
    if (!c.out_of_order) to_sort_.push_back(&c);
    c.out_of_order = true;
  } else {
    sort_customer_invoices(c);
  }
}

void OpenItems::index_number(std::int64_t id, const std::string& number) {
  for (const auto& key : invoice_number_keys(number, settings_.number_prefixes, static_cast<std::size_t>(settings_.min_number_length))) {
    by_number_.add(key, id);
  }
}

void OpenItems::finish_loading() {
  loading_ = false;
  for (CustomerInfo* c : to_sort_) {  // elements of an unordered_map stay where they are through rehashing
    sort_customer_invoices(*c);
    c->out_of_order = false;
  }
  to_sort_.clear();
  if (!number_worker_) return;
  number_worker_->sync();  // the worker is done with by_number_ before this thread touches it
  number_worker_ = nullptr;
  for (const auto& [id, number] : numbers_to_index_) index_number(id, number);
  numbers_to_index_.clear();
}

void OpenItems::sort_customer_invoices(CustomerInfo& c) {
  // Sorted by keys read once each: reading them from the invoices in every comparison cost
  // two lookups a time, a tenth of loading a million invoices.
  std::vector<std::tuple<Date, Date, std::int64_t>> keys;
  keys.reserve(c.open.size());
  for (const auto id : c.open) {
    const auto& x = stored(id);
    keys.emplace_back(x.due_date, x.issue_date, id);
  }
  std::sort(keys.begin(), keys.end());
  for (std::size_t k = 0; k < keys.size(); ++k) c.open[k] = std::get<2>(keys[k]);
}

void OpenItems::add_issued_reference(const std::string& reference, std::optional<InvoiceId> invoice,
                                     std::optional<CustomerId> customer) {
  const auto ref = compact_reference(reference);
  if (!ref.empty()) issued_[ref] = IssuedReference{invoice, customer};
}

OpenInvoice* OpenItems::find_invoice(std::int64_t id) {
  const auto slot = invoice_slots_.find(id);
  return slot ? &invoices_[*slot] : nullptr;
}

const OpenInvoice* OpenItems::invoice(InvoiceId id) const {
  const auto slot = invoice_slots_.find(id.value());
  if (!slot) return nullptr;
  const OpenInvoice& o = invoices_[*slot];
  return o.open <= 0 ? nullptr : &o;
}

namespace {
// The ids of `index` under `key` whose invoice is still open.
std::vector<InvoiceId> open_ids(const KeyIndex& index, std::string_view key, const OpenItems& items) {
  std::vector<InvoiceId> out;
  for (const auto id : index.find(key)) {
    if (items.invoice(InvoiceId(id))) out.push_back(InvoiceId(id));
  }
  return out;
}
}  // namespace

std::vector<InvoiceId> OpenItems::by_payment_reference(const std::string& compact) const {
  return open_ids(by_reference_, compact, *this);
}

std::vector<InvoiceId> OpenItems::by_number_key(const std::string& key) const { return open_ids(by_number_, key, *this); }

const IssuedReference* OpenItems::issued(const std::string& compact) const {
  auto it = issued_.find(compact);
  return it == issued_.end() ? nullptr : &it->second;
}

std::vector<CustomerId> OpenItems::customers_by_account(const std::string& account) const {
  std::vector<CustomerId> out;
  const std::string acct = normalize_account(account);
  if (acct.empty()) return out;
  auto range = by_account_.equal_range(acct);
  for (auto it = range.first; it != range.second; ++it) out.push_back(CustomerId(it->second));
  return out;
}

std::vector<std::pair<CustomerId, int>> OpenItems::customers_by_name(const std::string& normalized, int threshold) const {
  std::vector<std::pair<CustomerId, int>> out;
  if (normalized.empty()) return out;
  // The same normalized name: nobody else can be as similar (several such are a tie).
  auto exact = by_name_.equal_range(normalized);
  for (auto it = exact.first; it != exact.second; ++it) out.emplace_back(CustomerId(it->second), 100);
  if (!out.empty()) {
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first.value() < b.first.value(); });
    return out;
  }
  // Otherwise candidates share one of the payer's two rarest words ("trading" or "customer"
  // would bring in half the ledger), compared by bigrams, a few thousand at most.
  auto words = name_words(normalized);
  std::sort(words.begin(), words.end(),
            [&](const std::string& a, const std::string& b) { return by_name_word_.count(a) < by_name_word_.count(b); });
  if (words.size() > 2) words.resize(2);
  const auto payer = name_bigrams(normalized);
  std::unordered_set<std::int64_t> seen;
  for (const auto& w : words) {
    auto range = by_name_word_.equal_range(w);
    for (auto it = range.first; it != range.second && seen.size() < 5000; ++it) {
      if (!seen.insert(it->second).second) continue;
      const auto c = customers_.find(it->second);
      if (c == customers_.end()) continue;
      const int score = bigram_similarity(payer, c->second.bigrams);
      if (score >= threshold) out.emplace_back(CustomerId(it->second), score);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first.value() < b.first.value();
  });
  return out;
}

std::vector<const OpenInvoice*> OpenItems::open_of_customer(CustomerId id) const {
  std::vector<const OpenInvoice*> out;
  auto it = customers_.find(id.value());
  if (it == customers_.end()) return out;
  for (auto inv : it->second.open) {
    if (const auto* o = invoice(InvoiceId(inv))) out.push_back(o);
  }
  return out;
}

std::string OpenItems::external_id(CustomerId id) const {
  auto it = customers_.find(id.value());
  return it == customers_.end() ? std::string() : it->second.external_id;
}

void OpenItems::reduce_open(InvoiceId id, std::int64_t by) {
  if (OpenInvoice* o = find_invoice(id.value())) o->open -= by;
}

void OpenItems::restore(const Invoice& i) {
  if (OpenInvoice* o = find_invoice(i.id.value())) {
    o->open = i.status == InvoiceStatus::open ? i.amount_open.minor() : 0;
    return;
  }
  add_invoice(i);
}

}  // namespace arcd::cashapp
