#include "cashapp/matcher.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "arcd/money.hpp"
#include "cashapp/fx.hpp"
#include "cashapp/names.hpp"
#include "cashapp/number_keys.hpp"
#include "cashapp/references.hpp"

namespace arcd::cashapp {
namespace {

constexpr int kAmbiguousScore = 60;

std::vector<InvoiceId> oldest_first(std::vector<InvoiceId> ids, const OpenItems& items) {
  std::sort(ids.begin(), ids.end(), [&](InvoiceId a, InvoiceId b) {
    const auto* x = items.invoice(a);
    const auto* y = items.invoice(b);
    return std::tie(x->due_date, x->issue_date, a) < std::tie(y->due_date, y->issue_date, b);
  });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::string numbers_of(const std::vector<InvoiceId>& ids, const OpenItems& items) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out += ", ";
    if (const auto* i = items.invoice(id)) out += i->number;
  }
  return out;
}

bool same_invoices(const Candidate& a, const Candidate& b) { return a.invoices == b.invoices && a.customer == b.customer; }

void rank(std::vector<Candidate>& c) {
  std::stable_sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
}

}  // namespace

Matcher::Matcher(const MatchSettings& settings) : settings_(settings) {
  for (const auto& [source, pattern] : settings.number_patterns) {
    patterns_.emplace_back(source, std::regex(pattern, std::regex::ECMAScript | std::regex::icase));
  }
}

Matcher::Payer Matcher::identify_payer(const Entry& e, const OpenItems& items) const {
  Payer p;
  if (!e.payer_account.empty()) {
    const auto by_account = items.customers_by_account(e.payer_account);
    if (by_account.size() == 1) {
      p.customer = by_account.front();
      p.how = "payer account " + e.payer_account;
      return p;
    }
    if (by_account.size() > 1) p.how = "payer account " + e.payer_account + " belongs to " + std::to_string(by_account.size()) + " customers";
  }
  const std::string name = normalize_name(e.payer_name);
  const auto by_name = items.customers_by_name(name, settings_.name_similarity_percent);
  if (by_name.size() == 1 || (by_name.size() > 1 && by_name[0].second > by_name[1].second)) {
    p.customer = by_name.front().first;
    p.how = "payer name '" + e.payer_name + "' (" + std::to_string(by_name.front().second) + "% similar)";
  } else if (by_name.size() > 1) {
    p.how = "payer name '" + e.payer_name + "' fits " + std::to_string(by_name.size()) + " customers equally";
  }
  return p;
}

int Matcher::amount_fit_score(const Entry& e, std::int64_t remaining, const std::vector<InvoiceId>& invoices,
                              const OpenItems& items, int exact, int within_tolerance, int other) const {
  if (invoices.empty()) return 0;
  const Currency c = items.invoice(invoices.front())->currency;
  std::int64_t owed = 0;
  for (auto id : invoices) owed += items.invoice(id)->open;
  std::string how;
  const auto paid = payment_in(e, remaining, c, settings_, how);
  if (!paid) return other;  // the allocation will say why
  if (*paid == owed) return exact;
  if (*paid > 2 * owed) return kAmbiguousScore;  // far more than owed: a person should look
  if (*paid < owed) {
    const bool charges = e.details.charges.has_value();
    if ((charges && within(settings_.bank_charges, owed - *paid, owed, c)) || within(settings_.small_difference, owed - *paid, owed, c)) {
      return within_tolerance;
    }
  }
  return other;
}

void Matcher::structured_reference(const Entry& e, std::int64_t remaining, const OpenItems& items, std::vector<Candidate>& out) const {
  // Structured first (CdtrRefInf), then whatever the free text holds.
  std::vector<std::pair<std::string, bool>> refs;  // compact reference, structured?
  for (const auto& r : e.details.creditor_references) refs.emplace_back(compact_reference(r.reference), true);
  if (!e.structured_reference.empty()) refs.emplace_back(compact_reference(e.structured_reference), true);
  for (auto& r : find_rf_references(e.remittance)) refs.emplace_back(std::move(r), false);
  if (items.has_payment_references()) {
    for (auto& r : find_digit_runs(e.remittance, 8)) refs.emplace_back(std::move(r), false);
    for (const auto w : words_of(e.remittance)) {
      auto c = compact_reference(w);
      if (c.size() >= 6) refs.emplace_back(std::move(c), false);
    }
  }
  std::set<InvoiceId> found;
  bool structured = false;
  std::string evidence;
  for (const auto& [ref, is_structured] : refs) {
    if (ref.starts_with("RF") && ref.size() >= 5 && ref[2] >= '0' && ref[2] <= '9' && !is_valid_rf(ref)) continue;
    const auto ids = items.by_payment_reference(ref);
    if (ids.empty()) continue;
    if (ids.size() > 1) {  // one reference on several open invoices: it decides nothing
      for (auto id : ids) {
        out.push_back({"structured_reference", {id}, items.invoice(id)->customer, kAmbiguousScore,
                       "reference " + ref + " is on " + std::to_string(ids.size()) + " open invoices"});
      }
      return;
    }
    if (found.insert(ids.front()).second) {
      if (!evidence.empty()) evidence += "; ";
      evidence += "reference " + ref + (is_structured ? " in structured remittance" : " in the remittance text") + " -> " +
                  items.invoice(ids.front())->number;
    }
    structured = structured || is_structured;
  }
  if (found.empty()) return;
  Candidate c;
  c.rule = "structured_reference";
  c.invoices = oldest_first({found.begin(), found.end()}, items);
  c.customer = items.invoice(c.invoices.front())->customer;
  const int base = structured ? 100 : 95;
  c.score = amount_fit_score(e, remaining, c.invoices, items, base, base, base - 5);
  c.evidence = evidence;
  out.push_back(std::move(c));
}

void Matcher::invoice_number(const Entry& e, std::int64_t remaining, const std::function<const Payer&()>& payer_of,
                             const OpenItems& items, std::vector<Candidate>& out) const {
  const auto min_len = static_cast<std::size_t>(settings_.min_number_length);
  std::map<InvoiceId, std::string> found;  // invoice -> what named it
  auto look_up = [&](const std::vector<std::string>& keys, const std::string& where, const std::string* source) {
    for (const auto& key : keys) {
      for (auto id : items.by_number_key(key)) {
        const auto* inv = items.invoice(id);
        if (source && inv->source != *source) continue;
        found.emplace(id, inv->number + " (" + where + ")");
      }
    }
  };
  for (const auto& doc : e.details.referred_documents) {
    look_up(invoice_number_keys(doc.number, settings_.number_prefixes, min_len), "referred document " + doc.number, nullptr);
  }
  look_up(text_number_keys(e.remittance, settings_.number_prefixes, min_len), "remittance text", nullptr);
  if (e.remittance.find('\n') != std::string::npos) {  // a number broken over two lines
    std::string joined = e.remittance;
    std::erase(joined, '\n');
    look_up(text_number_keys(joined, settings_.number_prefixes, min_len), "remittance text across a line break", nullptr);
  }
  for (const auto& [source, re] : patterns_) {
    for (auto it = std::sregex_iterator(e.remittance.begin(), e.remittance.end(), re); it != std::sregex_iterator(); ++it) {
      look_up(invoice_number_keys(it->str(), settings_.number_prefixes, min_len), "pattern for " + source, &source);
    }
  }
  if (found.empty()) return;

  // A number of another customer than the identified payer is not evidence.
  const Payer& payer = payer_of();
  std::map<std::int64_t, std::vector<InvoiceId>> by_customer;
  for (const auto& [id, why] : found) {
    const auto customer = items.invoice(id)->customer;
    if (payer.customer && customer != *payer.customer) continue;
    by_customer[customer.value()].push_back(id);
  }
  const bool ambiguous = by_customer.size() > 1;
  for (auto& [customer, ids] : by_customer) {
    Candidate c;
    c.rule = "invoice_number";
    c.invoices = oldest_first(ids, items);
    c.customer = CustomerId(customer);
    for (auto id : c.invoices) {
      if (!c.evidence.empty()) c.evidence += "; ";
      c.evidence += found[id];
    }
    if (payer.customer) c.evidence += "; payer identified by " + payer.how;
    c.score = ambiguous ? kAmbiguousScore : amount_fit_score(e, remaining, c.invoices, items, 95, 90, 80);
    out.push_back(std::move(c));
  }
}

void Matcher::issued_reference(const Entry& e, std::int64_t remaining, const OpenItems& items, std::vector<Candidate>& out) const {
  std::vector<std::pair<std::string, std::string>> refs;  // compact, where
  if (!e.end_to_end_id.empty() && e.end_to_end_id != "NOTPROVIDED") refs.emplace_back(compact_reference(e.end_to_end_id), "end-to-end id");
  for (const auto w : words_of(e.remittance)) {
    auto c = compact_reference(w);
    if (c.size() >= 6) refs.emplace_back(std::move(c), "remittance text");
  }
  for (const auto& [ref, where] : refs) {
    const auto* issued = items.issued(ref);
    if (!issued) continue;
    Candidate c;
    c.rule = "issued_reference";
    if (issued->invoice && items.invoice(*issued->invoice)) {
      c.invoices = {*issued->invoice};
      c.customer = items.invoice(*issued->invoice)->customer;
      c.score = amount_fit_score(e, remaining, c.invoices, items, 95, 90, 85);
      c.evidence = "our reference " + ref + " in the " + where + " -> " + items.invoice(*issued->invoice)->number;
    } else if (issued->customer) {
      c.customer = issued->customer;
      c.score = 50;
      c.evidence = "our reference " + ref + " in the " + where + " names customer " + items.external_id(*issued->customer) +
                   " but no open invoice";
    } else {
      continue;
    }
    out.push_back(std::move(c));
    return;
  }
}

void Matcher::payer_amount(const Entry& e, std::int64_t remaining, const Payer& payer, const OpenItems& items,
                           std::vector<Candidate>& out) const {
  if (!payer.customer) return;
  const auto open = items.open_of_customer(*payer.customer);
  if (open.empty()) return;
  const std::string ext = items.external_id(*payer.customer);
  const bool may_auto = settings_.auto_apply_payer_amount || settings_.auto_apply_payer_amount_customers.count(ext) > 0;
  const int exact_score = may_auto ? std::max(settings_.auto_apply_threshold, 70) : std::min(70, settings_.auto_apply_threshold - 1);
  const int subset_score = may_auto ? std::max(settings_.auto_apply_threshold, 65) : std::min(65, settings_.auto_apply_threshold - 1);

  // The payment in the currency of the customer's invoices (one currency at a time).
  std::map<std::string, std::vector<const OpenInvoice*>> by_currency;
  for (const auto* i : open) by_currency[std::string(i->currency.code())].push_back(i);
  for (const auto& [code, invoices] : by_currency) {
    std::string how;
    const auto target = payment_in(e, remaining, invoices.front()->currency, settings_, how);
    if (!target) continue;
    std::vector<Candidate> exact;
    for (const auto* i : invoices) {
      if (i->open == *target) {
        exact.push_back({"payer_amount", {i->id}, payer.customer, exact_score,
                         "payer identified by " + payer.how + "; amount equals the open amount of " + i->number});
      }
    }
    if (!exact.empty()) {
      for (auto& c : exact) out.push_back(std::move(c));
      continue;
    }
    // The smallest set of up to K invoices summing exactly to the payment, oldest first
    // among equals; a second set of that size makes it ambiguous. Bounded work.
    const int k_max = std::min<int>(settings_.max_invoices_per_payment, static_cast<int>(invoices.size()));
    long budget = settings_.subset_search_limit;
    std::vector<std::size_t> pick;
    std::vector<std::vector<std::size_t>> solutions;
    std::function<void(std::size_t, int, std::int64_t)> search = [&](std::size_t from, int k, std::int64_t left) {
      if (solutions.size() >= 2 || budget <= 0) return;
      if (k == 0) {
        if (left == 0) solutions.push_back(pick);
        return;
      }
      for (std::size_t i = from; i < invoices.size() && solutions.size() < 2 && --budget > 0; ++i) {
        if (invoices[i]->open > left) continue;
        pick.push_back(i);
        search(i + 1, k - 1, left - invoices[i]->open);
        pick.pop_back();
      }
    };
    for (int k = 2; k <= k_max && solutions.empty() && budget > 0; ++k) search(0, k, *target);
    for (const auto& s : solutions) {
      Candidate c;
      c.rule = "payer_amount";
      c.customer = payer.customer;
      for (auto i : s) c.invoices.push_back(invoices[i]->id);
      c.score = subset_score;
      c.evidence = "payer identified by " + payer.how + "; amount equals the sum of " + numbers_of(c.invoices, items);
      out.push_back(std::move(c));
    }
  }
}

MatchResult Matcher::match(const Entry& e, std::int64_t remaining, const OpenItems& items) const {
  MatchResult r;
  // Who paid is looked up only when a rule needs it: most payments carry a reference.
  std::optional<Payer> identified;
  auto payer_of = [&]() -> const Payer& {
    if (!identified) identified = identify_payer(e, items);
    return *identified;
  };
  std::vector<Candidate> all;
  std::string first_reason;
  for (const auto& rule : settings_.rules) {
    std::vector<Candidate> found;
    if (rule == "structured_reference") structured_reference(e, remaining, items, found);
    else if (rule == "invoice_number") invoice_number(e, remaining, payer_of, items, found);
    else if (rule == "issued_reference") issued_reference(e, remaining, items, found);
    else if (rule == "payer_amount") payer_amount(e, remaining, payer_of(), items, found);
    if (found.empty()) continue;
    rank(found);
    const Candidate& best = found.front();
    const bool tie = found.size() > 1 && found[1].score == best.score && !same_invoices(found[1], best);
    all.insert(all.end(), found.begin(), found.end());
    if (tie) {
      first_reason = "ambiguous";
      r.detail = std::to_string(found.size()) + " equally good candidates by " + rule;
      break;  // a weaker rule must not settle what a stronger one found ambiguous
    }
    if (best.score < settings_.auto_apply_threshold || best.invoices.empty()) {
      if (first_reason.empty()) {
        first_reason = best.score == kAmbiguousScore && best.rule != "payer_amount" ? "over_tolerance" : "below_threshold";
        r.detail = best.rule + " scored " + std::to_string(best.score) + ": " + best.evidence;
      }
      continue;
    }
    std::vector<const OpenInvoice*> invoices;
    for (auto id : best.invoices) invoices.push_back(items.invoice(id));
    std::string why;
    auto allocation = allocate(e, remaining, invoices, settings_, why);
    if (!allocation) {
      if (first_reason.empty()) {
        first_reason = why;
        r.detail = "no exact conversion of " + std::string(e.amount.currency().code()) + " for " + numbers_of(best.invoices, items);
      }
      continue;
    }
    if (allocation->on_account_minor > 0 && !best.customer) {
      if (first_reason.empty()) first_reason = "over_tolerance";
      continue;
    }
    r.outcome = Outcome::apply;
    r.allocation = std::move(allocation);
    r.candidates = {best};
    if (identified) r.payer = identified->customer;
    return r;
  }
  rank(all);
  // The same invoices proposed by two rules: keep the better proposal.
  std::vector<Candidate> unique;
  for (auto& c : all) {
    if (std::none_of(unique.begin(), unique.end(), [&](const Candidate& u) { return same_invoices(u, c); })) unique.push_back(std::move(c));
  }
  if (unique.size() > 10) unique.resize(10);
  r.candidates = std::move(unique);
  r.reason = first_reason.empty() ? "no_candidate" : first_reason;
  const Payer& payer = payer_of();  // a person deciding wants to know who paid
  r.payer = payer.customer;
  if (r.reason == "no_candidate") r.detail = payer.customer ? "payer identified by " + payer.how + ", no invoice fits" : "no reference, invoice number or known payer";
  return r;
}

}  // namespace arcd::cashapp
