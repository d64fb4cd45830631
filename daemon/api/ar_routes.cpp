#include "api/ar_routes.hpp"

#include <boost/json.hpp>

#include <set>

#include "api/json_views.hpp"
#include "api/paging.hpp"
#include "api/request_util.hpp"
#include "collections/balances.hpp"

namespace arcd::api {
namespace json = boost::json;

namespace {

std::optional<Date> as_of_param(const HttpRequest& r, Date today, HttpResponse& error) {
  auto it = r.query.find("as_of");
  if (it == r.query.end()) return today;
  auto d = Date::parse(it->second);
  if (!d) error = problem(400, "bad_parameter", "as_of is a date YYYY-MM-DD");
  return d;
}

std::optional<std::int64_t> int_param(const HttpRequest& r, const char* name, HttpResponse& error) {
  auto it = r.query.find(name);
  if (it == r.query.end()) return std::nullopt;
  try {
    std::size_t used = 0;
    const auto v = std::stoll(it->second, &used);
    if (used == it->second.size()) return v;
  } catch (const std::exception&) {
  }
  error = problem(400, "bad_parameter", std::string(name) + " is a whole number");
  return std::nullopt;
}

json::array aging_json(const std::map<std::string, CurrencyAging, std::less<>>& aging) {
  json::array out;
  for (const auto& [code, a] : aging) {
    json::object buckets;
    for (std::size_t b = 0; b < kAgingBucketCount; ++b) buckets[to_string(static_cast<AgingBucket>(b))] = a.buckets[b].to_string();
    out.push_back({{"currency", code}, {"open", a.open_total.to_string()}, {"overdue", a.overdue_total.to_string()}, {"buckets", buckets}});
  }
  return out;
}

json::object customer_summary(const Customer& c) {
  return {{"id", c.id.value()},
          {"source", c.source},
          {"external_id", c.external_id},
          {"name", c.name},
          {"email", c.email},
          {"tier", c.tier},
          {"risk_class", c.risk_class},
          {"collector", c.collector},
          {"account_manager", c.account_manager},
          {"collection_policy", c.collection_policy},
          {"language", c.language},
          {"credit_hold", c.credit_hold},
          {"version", c.version}};
}

json::object invoice_json(const Invoice& i, Date as_of, bool disputed) {
  const int days = days_between(i.due_date, as_of);
  return {{"id", i.id.value()},
          {"source", i.source},
          {"number", i.number},
          {"customer_id", i.customer_id.value()},
          {"issue_date", i.issue_date.to_string()},
          {"due_date", i.due_date.to_string()},
          {"currency", std::string(i.amount_total.currency().code())},
          {"amount_total", i.amount_total.to_string()},
          {"amount_open", i.amount_open.to_string()},
          {"status", std::string(to_string(i.status))},
          {"days_overdue", i.status == InvoiceStatus::open && days > 0 ? days : 0},
          {"disputed", disputed},
          {"payment_reference", i.payment_reference},
          {"collection_policy", i.collection_policy},
          {"version", i.version}};
}

std::set<std::int64_t> open_dispute_invoices(Transaction& tx, std::optional<CustomerId> customer) {
  std::set<std::int64_t> out;
  DisputeFilter f;
  f.open = true;
  f.customer = customer;
  for (Page page{0, 1000};;) {
    const auto batch = tx.disputes().list(f, page);
    for (const auto& d : batch) out.insert(d.invoice_id.value());
    if (static_cast<int>(batch.size()) < page.limit) break;
    page.after_id = batch.back().id.value();
  }
  return out;
}

// Filtered lists scan rows in list order from `cursor` and keep those `keep` takes (it appends
// them) until `limit` are kept; `cursor` ends at the last row looked at. Returns whether rows
// may follow: then the cursor is `next_after`, and a client that follows it sees every row
// once, whatever is inserted meanwhile.
template <class Cursor, class Fetch, class Keep, class Advance>
bool keyset_scan(Cursor& cursor, int limit, Fetch fetch, Keep keep, Advance advance) {
  constexpr int kBatch = 500;
  int kept = 0;
  for (;;) {
    const auto batch = fetch(cursor, kBatch);
    for (const auto& row : batch) {
      cursor = advance(row);
      if (keep(row) && ++kept == limit) return true;
    }
    if (static_cast<int>(batch.size()) < kBatch) return false;
  }
}

std::int64_t id_of(const auto& row) { return row.id.value(); }

// ?sort=due_date|-due_date|amount_open|-amount_open; nullopt: by id. `after` is then
// "VALUE~ID" as returned in next_after.
std::optional<InvoiceOrder> order_param(const HttpRequest& r, HttpResponse& error) {
  auto it = r.query.find("sort");
  if (it == r.query.end() || it->second == "id") return std::nullopt;
  InvoiceOrder o;
  std::string key = it->second;
  if (!key.empty() && key.front() == '-') {
    o.descending = true;
    key.erase(0, 1);
  }
  if (key == "due_date") o.key = InvoiceOrder::Key::due_date;
  else if (key == "amount_open") o.key = InvoiceOrder::Key::amount_open;
  else error = problem(400, "bad_parameter", "sort is id, due_date, -due_date, amount_open or -amount_open");
  return o;
}

std::optional<InvoiceCursor> ordered_cursor(const HttpRequest& r, InvoiceOrder order, HttpResponse& error) {
  auto it = r.query.find("after");
  if (it == r.query.end() || it->second.empty()) return std::nullopt;
  const auto tilde = it->second.rfind('~');
  InvoiceCursor c;
  bool ok = tilde != std::string::npos;
  if (ok) {
    c.value = it->second.substr(0, tilde);
    try {
      c.id = std::stoll(it->second.substr(tilde + 1));
      if (order.key == InvoiceOrder::Key::amount_open) (void)std::stoll(c.value);
      else ok = Date::parse(c.value).has_value();
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok) error = problem(400, "bad_parameter", "after is the next_after of the previous page (VALUE~ID) when sorting");
  return c;
}

}  // namespace

void add_ar_routes(Router& router, Store& store, ArReadContext context) {
  router.add("GET", "/api/v1/customers", RunOn::worker, [&store, context](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    std::string q;
    if (auto it = r.query.find("q"); it != r.query.end()) q = it->second;
    for (auto& ch : q) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const CustomerScope scope(r, context.collector_of);
    const Date today = context.today();
    auto tx = store.begin();
    json::array items;
    std::int64_t cursor = page->after_id;
    const bool more = keyset_scan(cursor, page->limit, [&](std::int64_t after, int n) { return tx->customers().list({after, n}); },
                                  [&](const Customer& c) {
                                    if (!scope.allows(c)) return false;
                                    if (!q.empty()) {
                                      std::string hay = c.name + " " + c.external_id;
                                      for (auto& ch : hay) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                                      if (hay.find(q) == std::string::npos) return false;
                                    }
                                    auto o = customer_summary(c);
                                    json::array balances;
                                    for (const auto& [code, a] : collections::customer_balance(*tx, c.id, today).aging)
                                      balances.push_back({{"currency", code}, {"open", a.open_total.to_string()}, {"overdue", a.overdue_total.to_string()}});
                                    o["balances"] = std::move(balances);
                                    items.push_back(std::move(o));
                                    return true;
                                  },
                                  [](const Customer& c) { return id_of(c); });
    const json::value next = more ? json::value(cursor) : json::value(nullptr);
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}, {"next_after", next}}));
  });

  router.add("GET", "/api/v1/customers/{id}", RunOn::worker, [&store, context](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto as_of = as_of_param(r, context.today(), error);
    if (!as_of) return error;
    auto tx = store.begin();
    const auto c = tx->customers().get(CustomerId(*id));
    if (!c) return problem(404, "not_found", "customer " + std::to_string(*id) + " does not exist");
    if (!CustomerScope(r, context.collector_of).allows(*c)) return not_your_customer("customer " + std::to_string(*id));
    const auto balance = collections::customer_balance(*tx, c->id, *as_of);
    const auto disputed = open_dispute_invoices(*tx, c->id);
    auto o = customer_summary(*c);
    o["as_of"] = as_of->to_string();
    o["balances"] = aging_json(balance.aging);
    json::array on_account, invoices, accounts;
    for (const auto& m : balance.on_account) on_account.push_back({{"currency", std::string(m.currency().code())}, {"amount", m.to_string()}});
    for (const auto& i : balance.open_invoices) invoices.push_back(invoice_json(i, *as_of, disputed.count(i.id.value()) > 0));
    for (const auto& a : tx->customers().accounts(c->id)) accounts.push_back({{"account", a.account}, {"origin", a.origin}});
    o["on_account"] = std::move(on_account);
    o["open_invoices"] = std::move(invoices);
    o["accounts"] = std::move(accounts);
    // The ETag follows the customer record (what an update can overwrite), not the balance.
    auto resp = json_response(200, json::serialize(o));
    resp.headers.emplace_back("ETag", "W/\"c" + std::to_string(c->id.value()) + "-" + std::to_string(c->version) + "\"");
    return resp;
  });

  router.add("GET", "/api/v1/invoices", RunOn::worker, [&store, context](HttpRequest& r) {
    HttpResponse error;
    const auto order = order_param(r, error);
    if (error.status >= 400) return error;
    std::optional<InvoiceCursor> after;
    if (order) {
      after = ordered_cursor(r, *order, error);
      if (error.status >= 400) return error;
    }
    auto unordered = r;  // page_of reads after as an id: give it the limit only when sorting
    if (order) unordered.query.erase("after");
    auto page = page_of(unordered, error);
    if (!page) return error;
    auto as_of = as_of_param(r, context.today(), error);
    if (!as_of) return error;
    InvoiceFilter filter;
    if (auto v = int_param(r, "customer", error)) filter.customer = CustomerId(*v);
    const auto overdue_min = int_param(r, "overdue_min", error);
    const auto overdue_max = int_param(r, "overdue_max", error);
    if (error.status >= 400) return error;
    if (auto it = r.query.find("status"); it != r.query.end()) {
      filter.status = parse_invoice_status(it->second);
      if (!filter.status) return problem(400, "bad_parameter", "status is open, paid or cancelled");
    }
    std::optional<bool> disputed;
    if (auto it = r.query.find("disputed"); it != r.query.end()) {
      if (it->second != "true" && it->second != "false") return problem(400, "bad_parameter", "disputed is true or false");
      disputed = it->second == "true";
    }
    if (auto it = r.query.find("source"); it != r.query.end()) filter.source = it->second;
    const CustomerScope scope(r, context.collector_of);
    auto tx = store.begin();
    const auto disputes = open_dispute_invoices(*tx, filter.customer);
    std::map<std::int64_t, bool> allowed;  // customer id -> in scope
    json::array items;
    auto keep = [&](const Invoice& i) {
      const int days = days_between(i.due_date, *as_of);
      if (overdue_min && (i.status != InvoiceStatus::open || days < *overdue_min)) return false;
      if (overdue_max && (i.status != InvoiceStatus::open || days > *overdue_max)) return false;
      const bool is_disputed = disputes.count(i.id.value()) > 0;
      if (disputed && *disputed != is_disputed) return false;
      if (!scope.everyone()) {
        auto [it, fresh] = allowed.try_emplace(i.customer_id.value(), false);
        if (fresh) it->second = scope.allows(*tx, i.customer_id);
        if (!it->second) return false;
      }
      items.push_back(invoice_json(i, *as_of, is_disputed));
      return true;
    };
    json::value next = nullptr;
    if (!order) {
      std::int64_t cursor = page->after_id;
      if (keyset_scan(cursor, page->limit, [&](std::int64_t from, int n) { return tx->invoices().list(filter, {from, n}); }, keep,
                      [](const Invoice& i) { return id_of(i); }))
        next = cursor;
    } else {
      std::optional<InvoiceCursor> cursor = after;
      if (keyset_scan(cursor, page->limit, [&](const std::optional<InvoiceCursor>& c, int n) { return tx->invoices().list_ordered(filter, *order, c, n); },
                      keep, [&](const Invoice& i) {
                        return std::optional<InvoiceCursor>(InvoiceCursor{
                            order->key == InvoiceOrder::Key::due_date ? i.due_date.to_string() : std::to_string(i.amount_open.minor()), i.id.value()});
                      }))
        next = cursor->value + "~" + std::to_string(cursor->id);
    }
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}, {"next_after", next}}));
  });

  router.add("GET", "/api/v1/invoices/{id}", RunOn::worker, [&store, context](HttpRequest& r) {
    HttpResponse error;
    auto id = id_param(r, "id", error);
    if (!id) return error;
    auto tx = store.begin();
    const auto inv = tx->invoices().get(InvoiceId(*id));
    if (!inv) return problem(404, "not_found", "invoice " + std::to_string(*id) + " does not exist");
    if (!CustomerScope(r, context.collector_of).allows(*tx, inv->customer_id)) return not_your_customer("invoice " + std::to_string(*id));
    DisputeFilter f;
    f.invoice = inv->id;
    json::array disputes, applications;
    bool open_dispute = false;
    for (const auto& d : tx->disputes().list(f, {0, 1000})) {
      open_dispute = open_dispute || d.open;
      disputes.push_back({{"id", d.id.value()}, {"reason", d.reason}, {"open", d.open}, {"resolution", d.resolution}});
    }
    for (const auto& a : tx->applications().for_invoice(inv->id)) applications.push_back(application_json(a));
    auto o = invoice_json(*inv, context.today(), open_dispute);
    o["disputes"] = std::move(disputes);
    o["applications"] = std::move(applications);
    auto resp = json_response(200, json::serialize(o));
    resp.headers.emplace_back("ETag", "W/\"i" + std::to_string(inv->id.value()) + "-" + std::to_string(inv->version) + "\"");
    return resp;
  });

  router.add("GET", "/api/v1/aging", RunOn::worker, [&store, context](HttpRequest& r) {
    HttpResponse error;
    auto as_of = as_of_param(r, context.today(), error);
    if (!as_of) return error;
    auto tx = store.begin();
    return json_response(200, json::serialize(json::object{{"as_of", as_of->to_string()},
                                                           {"currencies", aging_json(collections::portfolio_aging(*tx, *as_of))}}));
  });

  // How current arcd's picture is: when each ERP was last read, and each bank account's
  // newest statement.
  router.add("GET", "/api/v1/freshness", RunOn::worker, [&store](HttpRequest&) {
    auto tx = store.begin();
    json::array erp, accounts;
    for (const auto& [source, stream, at] : tx->cursors().all()) erp.push_back({{"source", source}, {"stream", stream}, {"last_sync", at}});
    for (const auto& f : tx->statements().freshness())
      accounts.push_back({{"account", f.account}, {"currency", f.currency}, {"last_statement_to", f.last_to_date}, {"last_imported_at", f.last_imported_at}});
    return json_response(200, json::serialize(json::object{{"erp", std::move(erp)}, {"accounts", std::move(accounts)}}));
  });
}

}  // namespace arcd::api
