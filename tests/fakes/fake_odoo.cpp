#include "fake_odoo.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace arcd::fakes {
namespace json = boost::json;

std::int64_t cents_of(const std::string& d) {
  const bool neg = !d.empty() && d[0] == '-';
  std::string s = neg ? d.substr(1) : d;
  const auto dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  frac.resize(2, '0');
  const std::int64_t v = std::stoll(whole.empty() ? "0" : whole) * 100 + std::stoll(frac.substr(0, 2));
  return neg ? -v : v;
}

std::string decimal_of(std::int64_t c) {
  const bool neg = c < 0;
  if (neg) c = -c;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", neg ? "-" : "", static_cast<long long>(c / 100), static_cast<long long>(c % 100));
  return buf;
}

namespace {

json::value as_float(const std::string& decimal) { return json::value(std::strtod(decimal.c_str(), nullptr)); }

// Orders JSON scalars: numbers numerically, strings lexicographically, many2one by id.
int compare(const json::value& a, const json::value& b) {
  auto num = [](const json::value& v, double& out) {
    if (v.is_int64()) return out = double(v.get_int64()), true;
    if (v.is_uint64()) return out = double(v.get_uint64()), true;
    if (v.is_double()) return out = v.get_double(), true;
    if (v.is_array() && !v.get_array().empty() && v.get_array()[0].is_int64()) return out = double(v.get_array()[0].get_int64()), true;
    return false;
  };
  double x, y;
  if (num(a, x) && num(b, y)) return x < y ? -1 : x > y ? 1 : 0;
  auto str = [](const json::value& v) { return v.is_string() ? std::string(v.get_string()) : std::string(); };
  const std::string s = str(a), t = str(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

bool equal(const json::value& a, const json::value& b) {
  if (a.is_bool() || b.is_bool()) return a == b;
  return compare(a, b) == 0 && (a.is_string() == b.is_string() || a.is_array() || b.is_array());
}

bool term_matches(const json::object& row, const json::array& t) {
  const std::string f(t.at(0).as_string()), op(t.at(1).as_string());
  const json::value& want = t.at(2);
  const json::value* have_ptr = row.if_contains(f);
  const json::value have = have_ptr ? *have_ptr : json::value(false);
  if (op == "=") return equal(have, want);
  if (op == "!=") return !equal(have, want);
  if (op == ">") return compare(have, want) > 0;
  if (op == ">=") return compare(have, want) >= 0;
  if (op == "<") return compare(have, want) < 0;
  if (op == "<=") return compare(have, want) <= 0;
  if (op == "in" || op == "not in") {
    bool found = false;
    for (const auto& w : want.as_array()) found = found || equal(have, w);
    return op == "in" ? found : !found;
  }
  if (op == "like" || op == "not like") {
    // Frappe's SQL LIKE with % wildcards at either end (what arcd sends).
    if (!have.is_string() || !want.is_string()) return op == "not like";
    std::string w(want.get_string());
    if (!w.empty() && w.front() == '%') w.erase(0, 1);
    if (!w.empty() && w.back() == '%') w.pop_back();
    const bool found = std::string(have.get_string()).find(w) != std::string::npos;
    return op == "like" ? found : !found;
  }
  if (op == "ilike") {
    if (!have.is_string() || !want.is_string()) return false;
    std::string h(have.get_string()), w(want.get_string());
    std::transform(h.begin(), h.end(), h.begin(), ::tolower);
    std::transform(w.begin(), w.end(), w.begin(), ::tolower);
    return h.find(w) != std::string::npos;
  }
  throw std::runtime_error("fake Odoo: unsupported domain operator " + op);
}

bool eval(const json::object& row, const json::array& d, std::size_t& pos) {
  const json::value& e = d.at(pos++);
  if (e.is_string()) {
    const std::string op(e.get_string());
    if (op == "!") return !eval(row, d, pos);
    const bool a = eval(row, d, pos);
    const bool b = eval(row, d, pos);
    return op == "|" ? (a || b) : (a && b);
  }
  return term_matches(row, e.as_array());
}

json::value fixture_error(int code, const std::string& name, const std::string& message, const json::value& id) {
  return json::object{{"jsonrpc", "2.0"},
                      {"id", id},
                      {"error",
                       json::object{{"code", code},
                                    {"message", code == 100 ? "Odoo Session Expired" : "Odoo Server Error"},
                                    {"data", json::object{{"name", name},
                                                          {"message", message},
                                                          {"arguments", json::array{json::value(message)}},
                                                          {"context", json::object{}},
                                                          {"debug", name + ": " + message + "\n"}}}}}};
}

// The requested fields of a row (all of it when none are named), empty ones as false.
json::object pick_fields(const json::object& row, const json::object& kw) {
  const auto* f = kw.if_contains("fields");
  if (!f || !f->is_array() || f->get_array().empty()) return row;
  json::object picked{{"id", row.at("id")}};
  for (const auto& name : f->get_array()) {
    const std::string n(name.as_string());
    picked[n] = row.contains(n) ? row.at(n) : json::value(false);
  }
  return picked;
}

struct OdooFault {
  std::string name, message;
};

}  // namespace

bool domain_matches(const json::object& row, const json::array& domain) {
  std::size_t pos = 0;
  while (pos < domain.size()) {
    if (!eval(row, domain, pos)) return false;
  }
  return true;
}

void order_rows(std::vector<const json::object*>& rows, const std::string& order) {
  std::vector<std::pair<std::string, bool>> keys;
  std::stringstream ss(order);
  std::string part;
  while (std::getline(ss, part, ',')) {
    std::stringstream ps(part);
    std::string f, dir;
    ps >> f >> dir;
    if (!f.empty()) keys.emplace_back(f, dir == "desc" || dir == "DESC");
  }
  auto less = [&](const json::object* a, const json::object* b) {
    for (const auto& [f, desc] : keys) {
      const json::value* x = a->if_contains(f);
      const json::value* y = b->if_contains(f);
      const int c = compare(x ? *x : json::value(), y ? *y : json::value());
      if (c != 0) return desc ? c > 0 : c < 0;
    }
    return false;
  };
  // Usually already in order (rows are kept by id and change in time order): check first.
  if (!std::is_sorted(rows.begin(), rows.end(), less)) std::stable_sort(rows.begin(), rows.end(), less);
}

FakeOdoo::FakeOdoo(int version) : version_(version), server_([this](const Request& r) { return handle(r); }) {}

void FakeOdoo::add_partner(std::int64_t id, const std::string& name, const std::string& email, const std::string& iban) {
  std::lock_guard lock(mutex_);
  partners_.emplace_back(id, json::object{{"name", name}, {"email", email.empty() ? json::value(false) : json::value(email)}});
  if (!iban.empty()) banks_.emplace_back(id, iban);
}

void FakeOdoo::add_invoice(const FakeOdooInvoice& inv) {
  std::lock_guard lock(mutex_);
  FakeOdooInvoice i = inv;
  if (i.write_date.empty()) i.write_date = now_;
  if (auto* existing = invoice(i.id)) {
    *existing = i;
  } else {
    invoice_index_[i.id] = invoices_.size();
    invoices_.push_back(i);
  }
  next_id_ = std::max(next_id_, i.id + 100);
  changed();
}

void FakeOdoo::changed(const FakeOdooInvoice& i) {
  if (!rows_valid_) return;
  invoice_rows_[invoice_index_.at(i.id)] = invoice_row(i).as_object();
}

FakeOdooInvoice* FakeOdoo::invoice(std::int64_t id) {
  auto it = invoice_index_.find(id);
  return it == invoice_index_.end() ? nullptr : &invoices_[it->second];
}

void FakeOdoo::load_fixture_dataset() {
  add_partner(9, "Deco Addict", "deco.addict82@example.com", "BE68539007547034");
  add_partner(10, "Gemini Furniture", "gemini.furniture39@example.com");
  add_invoice({42, "INV/2024/00007", 9, "2024-04-02", "2024-05-02", "1150.00", "650.00", "EUR", "INV/2024/00007", "posted",
               "2024-05-10 08:15:42"});
  add_invoice({43, "INV/2024/00008", 10, "2024-04-15", "2024-05-15", "2300.00", "2300.00", "EUR", "INV/2024/00008", "posted",
               "2024-05-10 09:02:11"});
}

void FakeOdoo::set_now(const std::string& write_date) {
  std::lock_guard lock(mutex_);
  now_ = write_date;
}

void FakeOdoo::set_api_key(const std::string& key) {
  std::lock_guard lock(mutex_);
  api_key_ = key;
}

std::vector<FakeOdooPayment> FakeOdoo::payments() const {
  std::lock_guard lock(mutex_);
  return payments_;
}

std::vector<std::string> FakeOdoo::messages_on(std::int64_t invoice) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, res, body] : messages_) {
    if (res == invoice) out.push_back(body);
  }
  return out;
}

std::string FakeOdoo::residual_of(std::int64_t invoice) const {
  std::lock_guard lock(mutex_);
  for (const auto& i : invoices_) {
    if (i.id == invoice) return i.amount_residual;
  }
  return "";
}

std::string FakeOdoo::payment_state_of(std::int64_t invoice) const {
  std::lock_guard lock(mutex_);
  for (const auto& i : invoices_) {
    if (i.id != invoice) continue;
    const auto res = cents_of(i.amount_residual), total = cents_of(i.amount_total);
    return res == 0 ? "paid" : res == total ? "not_paid" : "partial";
  }
  return "";
}

json::value FakeOdoo::invoice_row(const FakeOdooInvoice& i) const {
  std::string partner_name;
  for (const auto& [id, p] : partners_) {
    if (id == i.partner_id) partner_name = std::string(p.at("name").as_string());
  }
  const auto res = cents_of(i.amount_residual), total = cents_of(i.amount_total);
  const std::string payment_state = res == 0 ? "paid" : res == total ? "not_paid" : "partial";
  return json::object{{"id", i.id},
                      {"name", i.name},
                      {"move_type", "out_invoice"},
                      {"partner_id", json::array{i.partner_id, json::value(partner_name)}},
                      {"invoice_date", i.invoice_date},
                      {"invoice_date_due", i.invoice_date_due.empty() ? json::value(false) : json::value(i.invoice_date_due)},
                      {"amount_total", as_float(i.amount_total)},
                      {"amount_residual", as_float(i.amount_residual)},
                      {"currency_id", json::array{1, json::value(i.currency)}},
                      {"payment_state", payment_state},
                      {"state", i.state},
                      {"ref", false},
                      {"payment_reference", i.payment_reference.empty() ? json::value(false) : json::value(i.payment_reference)},
                      {"write_date", i.write_date}};
}

const std::vector<json::object>& FakeOdoo::rows_of(const std::string& model) const {
  auto& rows = scratch_;
  rows.clear();
  if (model == "account.move") {
    if (!rows_valid_) {
      invoice_rows_.clear();
      for (const auto& i : invoices_) invoice_rows_.push_back(invoice_row(i).as_object());
      rows_valid_ = true;
    }
    return invoice_rows_;
  } else if (model == "res.partner") {
    for (const auto& [id, p] : partners_) {
      json::object o = p;
      o["id"] = id;
      rows.push_back(o);
    }
  } else if (model == "res.partner.bank") {
    std::int64_t n = 1;
    for (const auto& [partner, acc] : banks_) rows.push_back(json::object{{"id", n++}, {"partner_id", json::array{partner, "x"}}, {"acc_number", acc}});
  } else if (model == "account.payment") {
    const std::string memo = version_ >= 18 ? "memo" : "ref";
    for (const auto& p : payments_) {
      rows.push_back(json::object{{"id", p.id}, {memo, p.memo}, {"state", p.state}, {"amount", as_float(decimal_of(p.amount_cents))}});
    }
  } else if (model == "mail.message") {
    for (const auto& [id, res, body] : messages_) {
      rows.push_back(json::object{{"id", id}, {"model", "account.move"}, {"res_id", res}, {"body", body}});
    }
  } else {
    throw OdooFault{"odoo.exceptions.UserError", "Object " + model + " doesn't exist"};
  }
  return rows;
}

json::array FakeOdoo::search_read(const std::string& model, const json::array& domain, const json::object& kw) const {
  // The memo probe, by index: a real Odoo answers it from a database index too.
  const std::string memo = version_ >= 18 ? "memo" : "ref";
  if (model == "account.payment" && !domain.empty() && domain[0].is_array() && domain[0].as_array().at(0) == memo.c_str() &&
      domain[0].as_array().at(1) == "=") {
    std::vector<json::object> rows;
    const std::string key(domain[0].as_array().at(2).as_string());
    for (auto [it, end] = payments_by_memo_.equal_range(key); it != end; ++it) {
      const auto& p = payments_[it->second];
      rows.push_back(json::object{{"id", p.id}, {memo, p.memo}, {"state", p.state}, {"amount", as_float(decimal_of(p.amount_cents))}});
    }
    json::array out;
    for (auto& r : rows) {
      if (domain_matches(r, domain)) out.push_back(json::object{{"id", r.at("id")}});
    }
    return out;
  }
  const auto& rows = rows_of(model);
  // One record by id, by the index.
  if (model == "account.move" && domain.size() == 1 && domain[0].is_array() && domain[0].as_array().at(0) == "id" &&
      domain[0].as_array().at(1) == "=") {
    json::array out;
    auto it = invoice_index_.find(domain[0].as_array().at(2).as_int64());
    if (it != invoice_index_.end()) out.push_back(pick_fields(rows[it->second], kw));
    return out;
  }
  // Paging by id walks the id index from the last id, as a database would: a page then costs
  // its own size, not the table's (the benchmark pages through 100 000 invoices).
  if (model == "account.move" && kw.contains("order") && kw.at("order") == "id asc" && !kw.contains("offset")) {
    std::int64_t after = 0;
    for (const auto& t : domain) {
      if (t.is_array() && t.as_array().at(0) == "id" && t.as_array().at(1) == ">") after = t.as_array().at(2).as_int64();
    }
    std::size_t limit = kw.contains("limit") ? static_cast<std::size_t>(kw.at("limit").as_int64()) : SIZE_MAX;
    json::array out;
    for (auto it = invoice_index_.upper_bound(after); it != invoice_index_.end() && out.size() < limit; ++it) {
      const json::object& row = rows[it->second];
      if (domain_matches(row, domain)) out.push_back(pick_fields(row, kw));
    }
    return out;
  }
  std::vector<const json::object*> hits;
  for (const auto& r : rows) {
    if (domain_matches(r, domain)) hits.push_back(&r);
  }
  if (const auto* o = kw.if_contains("order"); o && o->is_string()) order_rows(hits, std::string(o->get_string()));
  std::size_t offset = 0, limit = hits.size();
  if (const auto* o = kw.if_contains("offset"); o && o->is_int64()) offset = static_cast<std::size_t>(o->get_int64());
  if (const auto* l = kw.if_contains("limit"); l && l->is_int64() && l->get_int64() > 0) limit = static_cast<std::size_t>(l->get_int64());
  json::array out;
  for (std::size_t i = offset; i < hits.size() && out.size() < limit; ++i) {
    out.push_back(pick_fields(*hits[i], kw));
  }
  return out;
}

json::value FakeOdoo::execute(const std::string& model, const std::string& method, json::array args, json::object kw) {
  auto context = kw.contains("context") && kw.at("context").is_object() ? kw.at("context").as_object() : json::object{};
  if (method == "search_read") {
    const json::array domain = !args.empty() ? args[0].as_array() : kw.contains("domain") ? kw.at("domain").as_array() : json::array{};
    return search_read(model, domain, kw);
  }
  if (method == "search_count") return static_cast<std::int64_t>(search_read(model, args.at(0).as_array(), {}).size());
  if (method == "read") {
    std::set<std::int64_t> wanted;
    for (const auto& id : args.at(0).as_array()) wanted.insert(id.as_int64());
    json::array out;
    for (const auto& row : rows_of(model)) {
      if (!wanted.count(row.at("id").as_int64())) continue;
      json::object r{{"id", row.at("id")}};
      for (const auto& f : kw.contains("fields") ? kw.at("fields").as_array() : json::array{}) {
        const std::string n(f.as_string());
        r[n] = row.contains(n) ? row.at(n) : json::value(false);
      }
      out.push_back(r);
    }
    return out;
  }
  if (model == "account.payment.register" && method == "create") {
    if (!context.contains("active_model") || context.at("active_model") != "account.move") {
      throw OdooFault{"odoo.exceptions.UserError",
                      "The register payment wizard should only be called on account.move or account.move.line records."};
    }
    const std::int64_t invoice = context.at("active_ids").as_array().at(0).as_int64();
    if (const auto* i = this->invoice(invoice); i && cents_of(i->amount_residual) == 0) {
      {
        throw OdooFault{"odoo.exceptions.UserError",
                        "You can't register a payment because there is nothing left to pay on the selected journal items."};
      }
    }
    json::value vals = args.at(0);
    if (vals.is_array()) vals = vals.as_array().at(0);
    json::object w = vals.as_object();
    w["invoice"] = invoice;
    const std::int64_t id = next_id_++;
    wizards_.emplace_back(id, w);
    return version_ >= 19 && args.at(0).is_array() ? json::value(json::array{id}) : json::value(id);
  }
  if (model == "account.payment.register" && method == "action_create_payments") {
    const std::int64_t wid = args.at(0).as_array().at(0).as_int64();
    auto w = std::find_if(wizards_.begin(), wizards_.end(), [&](const auto& p) { return p.first == wid; });
    if (w == wizards_.end()) throw OdooFault{"odoo.exceptions.MissingError", "Record does not exist or has been deleted."};
    const std::int64_t invoice = w->second.at("invoice").as_int64();
    const std::int64_t amount = std::llround(w->second.at("amount").to_number<double>() * 100);
    if (auto* i = this->invoice(invoice)) {
      const std::int64_t left = cents_of(i->amount_residual);
      if (amount > left) throw OdooFault{"odoo.exceptions.UserError", "The payment amount exceeds what is left to pay."};
      i->amount_residual = decimal_of(left - amount);
      i->write_date = now_;
      changed(*i);
    }
    const std::int64_t pid = next_id_++;
    payments_by_memo_.emplace(std::string(w->second.at("communication").as_string()), payments_.size());
    payments_.push_back({pid, std::string(w->second.at("communication").as_string()), invoice, amount, "posted"});
    wizards_.erase(w);
    return json::object{{"name", "Payments"},
                        {"type", "ir.actions.act_window"},
                        {"res_model", "account.payment"},
                        {"context", json::object{{"create", false}}},
                        {"view_mode", "form"},
                        {"res_id", pid}};
  }
  if (model == "account.payment" && (method == "action_draft" || method == "action_cancel")) {
    const std::int64_t pid = args.at(0).as_array().at(0).as_int64();
    for (auto& p : payments_) {
      if (p.id != pid) continue;
      if (method == "action_draft" && p.state == "posted") {
        p.state = "draft";
        if (auto* i = invoice(p.invoice_id)) {
          i->amount_residual = decimal_of(cents_of(i->amount_residual) + p.amount_cents);
          i->write_date = now_;
          changed(*i);
        }
      } else if (method == "action_cancel") {
        p.state = "cancel";
      }
    }
    return json::value(nullptr);  // None: the reply carries no result
  }
  if (model == "account.move" && method == "message_post") {
    const std::int64_t res = args.at(0).as_array().at(0).as_int64();
    const std::int64_t id = next_id_++;
    messages_.emplace_back(id, res, std::string(kw.at("body").as_string()));
    return id;
  }
  rows_of(model);  // unknown model -> its error
  throw OdooFault{"builtins.AttributeError", "The method '" + method + "' does not exist on the model '" + model + "'"};
}

Response FakeOdoo::handle(const Request& r) {
  std::lock_guard lock(mutex_);
  Response resp;
  if (r.path() == "/jsonrpc") {
    json::error_code ec;
    json::value body = json::parse(r.body, ec);
    if (ec || !body.is_object()) return {400, "Invalid JSON data", "text/plain", {}};
    const json::value id = body.as_object().contains("id") ? body.at("id") : json::value(nullptr);
    const auto& params = body.at("params").as_object();
    const std::string service(params.at("service").as_string()), method(params.at("method").as_string());
    json::array args = params.contains("args") ? params.at("args").as_array() : json::array{};
    json::object reply{{"jsonrpc", "2.0"}, {"id", id}};
    if (service == "common" && method == "version") {
      reply["result"] = json::object{{"server_version", std::to_string(version_) + ".0"},
                                     {"server_version_info", json::array{version_, 0, 0, "final", 0, ""}},
                                     {"server_serie", std::to_string(version_) + ".0"},
                                     {"protocol_version", 1}};
    } else if (service == "common" && (method == "authenticate" || method == "login")) {
      ++authentications_;
      const bool ok = args.size() >= 3 && args[0] == kDatabase && args[1] == kLogin && args[2] == api_key_.c_str();
      reply["result"] = ok ? json::value(kUid) : json::value(false);
    } else if (service == "object" && method == "execute_kw") {
      if (expire_next_) {
        expire_next_ = false;
        return {200, json::serialize(fixture_error(100, "odoo.http.SessionExpiredException", "Session expired", id)), "application/json", {}};
      }
      if (args.size() < 6 || args[0] != kDatabase || args[1] != json::value(kUid) || args[2] != api_key_.c_str()) {
        return {200, json::serialize(fixture_error(200, "odoo.exceptions.AccessDenied", "Access Denied", id)), "application/json", {}};
      }
      try {
        json::value result = execute(std::string(args[3].as_string()), std::string(args[4].as_string()), args[5].as_array(),
                                     args.size() > 6 ? args[6].as_object() : json::object{});
        if (!result.is_null()) reply["result"] = std::move(result);  // None: no result member
      } catch (const OdooFault& f) {
        return {200, json::serialize(fixture_error(200, f.name, f.message, id)), "application/json", {}};
      }
    } else {
      return {200, json::serialize(fixture_error(200, "KeyError", "unknown service " + service, id)), "application/json", {}};
    }
    resp.body = json::serialize(reply);
    return resp;
  }
  if (r.path().rfind("/json/2/", 0) == 0 && version_ >= 19) {
    std::string auth = r.header("authorization");
    if (auth.size() < 7 || (auth.substr(0, 7) != "bearer " && auth.substr(0, 7) != "Bearer ") || auth.substr(7) != api_key_) {
      return {401,
              json::serialize(json::object{{"name", "werkzeug.exceptions.Unauthorized"},
                                           {"message", "Invalid apikey"},
                                           {"arguments", json::array{"Invalid apikey", 401}},
                                           {"context", json::object{}},
                                           {"debug", ""}}),
              "application/json", {}};
    }
    const std::string rest = r.path().substr(8);
    const auto slash = rest.rfind('/');
    const std::string model = rest.substr(0, slash), method = rest.substr(slash + 1);
    json::error_code ec;
    json::value body = json::parse(r.body, ec);
    if (ec || !body.is_object()) return {400, "\"Invalid JSON data\"", "application/json", {}};
    json::object kw = body.as_object();
    json::array args;
    if (kw.contains("ids")) args.push_back(kw.at("ids"));
    if (kw.contains("vals_list")) args.push_back(kw.at("vals_list"));
    if (kw.contains("domain") && method != "search_read") args.push_back(kw.at("domain"));
    try {
      json::value result = execute(model, method, args, kw);
      resp.body = json::serialize(result);
    } catch (const OdooFault& f) {
      return {422,
              json::serialize(json::object{{"name", f.name}, {"message", f.message}, {"arguments", json::array{json::value(f.message)}},
                                           {"context", json::object{}}, {"debug", ""}}),
              "application/json", {}};
    }
    return resp;
  }
  return {404, "<html>Not Found</html>", "text/html", {}};
}

}  // namespace arcd::fakes
