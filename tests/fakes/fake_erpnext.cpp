#include "fake_erpnext.hpp"

#include <algorithm>

#include "fake_odoo.hpp"  // domain_matches, order_rows, cents_of, decimal_of

namespace arcd::fakes {
namespace json = boost::json;

namespace {

Response frappe_error(int status, const std::string& exc_type, const std::string& message) {
  json::object body{{"exc_type", exc_type}};
  if (!message.empty()) {
    const std::string inner = json::serialize(json::object{{"message", message}, {"title", "Message"}, {"indicator", "red"},
                                                           {"raise_exception", 1}, {"__frappe_exc_id", "a1b2c3d4e5"}});
    body["_server_messages"] = json::serialize(json::array{json::value(inner)});
  }
  return {status, json::serialize(body), "application/json", {}};
}

json::value as_float(const std::string& d) { return json::value(std::strtod(d.c_str(), nullptr)); }

std::string status_of(std::int64_t outstanding, std::int64_t total) {
  return outstanding == 0 ? "Paid" : outstanding == total ? "Unpaid" : "Partly Paid";
}

}  // namespace

FakeErpNext::FakeErpNext() : server_([this](const Request& r) { return handle(r); }) {}

void FakeErpNext::add_customer(const std::string& name, const std::string& email, const std::string& iban) {
  std::lock_guard l(mutex_);
  customers_.push_back(json::object{{"name", name}, {"customer_name", name}, {"email_id", email}});
  if (!iban.empty()) banks_.push_back(json::object{{"name", "BA-" + name}, {"party_type", "Customer"}, {"party", name}, {"iban", iban}, {"bank_account_no", ""}});
}

void FakeErpNext::add_invoice(const std::string& name, const std::string& customer, const std::string& posting, const std::string& due,
                              const std::string& total, const std::string& outstanding, const std::string& modified) {
  std::lock_guard l(mutex_);
  invoices_.erase(std::remove_if(invoices_.begin(), invoices_.end(), [&](const json::object& o) { return o.at("name") == name.c_str(); }),
                  invoices_.end());
  invoices_.push_back(json::object{{"name", name},
                                   {"customer", customer},
                                   {"customer_name", customer},
                                   {"posting_date", posting},
                                   {"due_date", due},
                                   {"grand_total", as_float(total)},
                                   {"outstanding_amount", as_float(outstanding)},
                                   {"currency", "EUR"},
                                   {"status", status_of(cents_of(outstanding), cents_of(total))},
                                   {"modified", modified},
                                   {"docstatus", 1},
                                   {"is_return", 0}});
}

void FakeErpNext::load_fixture_dataset() {
  add_customer("Deco Addict", "deco.addict82@example.com", "BE68539007547034");
  add_customer("Gemini Furniture", "gemini.furniture39@example.com");
  add_invoice("ACC-SINV-2024-00007", "Deco Addict", "2024-04-02", "2024-05-02", "1150.00", "650.00", "2024-05-10 10:15:42.381204");
  add_invoice("ACC-SINV-2024-00008", "Gemini Furniture", "2024-04-15", "2024-05-15", "2300.00", "2300.00", "2024-05-10 11:02:11.004512");
}

std::string FakeErpNext::outstanding_of(const std::string& invoice) const {
  std::lock_guard l(mutex_);
  for (const auto& i : invoices_) {
    if (i.at("name") == invoice.c_str()) return decimal_of(std::llround(i.at("outstanding_amount").to_number<double>() * 100));
  }
  return "";
}

int FakeErpNext::submitted_payments_with(const std::string& reference_no) const {
  std::lock_guard l(mutex_);
  int n = 0;
  for (const auto& p : payments_) n += p.at("reference_no") == reference_no.c_str() && p.at("docstatus") == 1;
  return n;
}

std::vector<std::string> FakeErpNext::comments_on(const std::string& invoice) const {
  std::lock_guard l(mutex_);
  std::vector<std::string> out;
  for (const auto& c : comments_) {
    if (c.at("reference_name") == invoice.c_str()) out.push_back(std::string(c.at("content").as_string()));
  }
  return out;
}

std::vector<json::object>* FakeErpNext::table(const std::string& doctype) {
  if (doctype == "Sales Invoice") return &invoices_;
  if (doctype == "Customer") return &customers_;
  if (doctype == "Bank Account") return &banks_;
  if (doctype == "Payment Entry") return &payments_;
  if (doctype == "Comment") return &comments_;
  return nullptr;
}

Response FakeErpNext::list(const std::string& doctype, const Request& r) {
  auto* rows = table(doctype);
  if (!rows) return frappe_error(404, "DoesNotExistError", "DocType " + doctype + " not found");
  json::error_code ec;
  json::array fields{"name"}, filters, or_filters;
  if (const auto f = r.query("fields"); !f.empty()) fields = json::parse(f, ec).as_array();
  if (const auto f = r.query("filters"); !f.empty()) filters = json::parse(f, ec).as_array();
  if (const auto f = r.query("or_filters"); !f.empty()) or_filters = json::parse(f, ec).as_array();
  if (ec) return frappe_error(417, "ValidationError", "Invalid filters");
  std::vector<const json::object*> hits;
  for (const auto& row : *rows) {
    if (!domain_matches(row, filters)) continue;
    bool any = or_filters.empty();
    for (const auto& t : or_filters) any = any || domain_matches(row, json::array{t});
    if (any) hits.push_back(&row);
  }
  std::string order = r.query("order_by");
  if (order.empty()) order = "modified desc";
  order_rows(hits, order);
  const std::size_t start = r.query("limit_start").empty() ? 0 : std::stoul(r.query("limit_start"));
  std::string len = r.query("limit_page_length");
  if (len.empty()) len = r.query("limit");
  const std::size_t limit = len.empty() ? 20 : std::stoul(len);
  json::array data;
  for (std::size_t i = start; i < hits.size() && data.size() < limit; ++i) {
    json::object row;
    for (const auto& f : fields) {
      const std::string n(f.as_string());
      row[n] = hits[i]->contains(n) ? hits[i]->at(n) : json::value(nullptr);
    }
    data.push_back(std::move(row));
  }
  return {200, json::serialize(json::object{{"data", data}}), "application/json", {}};
}

Response FakeErpNext::insert_payment(const json::object& body) {
  if (!body.contains("reference_no") || !body.contains("reference_date")) {
    return frappe_error(417, "ValidationError", "Reference No and Reference Date is mandatory for Bank transaction");
  }
  const auto& refs = body.at("references").as_array();
  for (const auto& ref : refs) {
    const auto& o = ref.as_object();
    auto inv = std::find_if(invoices_.begin(), invoices_.end(), [&](const json::object& i) { return i.at("name") == o.at("reference_name"); });
    if (inv == invoices_.end()) return frappe_error(417, "LinkValidationError", "Could not find Sales Invoice");
    const auto allocated = std::llround(o.at("allocated_amount").to_number<double>() * 100);
    const auto outstanding = std::llround(inv->at("outstanding_amount").to_number<double>() * 100);
    if (allocated > outstanding) {
      return frappe_error(417, "ValidationError", "Row #1: Allocated Amount cannot be greater than outstanding amount.");
    }
  }
  json::object pe = body;
  pe["name"] = "ACC-PAY-2024-" + std::to_string(10000 + next_++).substr(1);
  pe["doctype"] = "Payment Entry";
  pe["creation"] = now_;
  pe["modified"] = now_;
  if (pe.at("docstatus") == 1) {
    for (const auto& ref : refs) {
      const auto& o = ref.as_object();
      for (auto& i : invoices_) {
        if (i.at("name") != o.at("reference_name")) continue;
        const auto total = std::llround(i.at("grand_total").to_number<double>() * 100);
        const auto left = std::llround(i.at("outstanding_amount").to_number<double>() * 100) -
                          std::llround(o.at("allocated_amount").to_number<double>() * 100);
        i["outstanding_amount"] = as_float(decimal_of(left));
        i["status"] = status_of(left, total);
        i["modified"] = now_;
      }
    }
  }
  payments_.push_back(pe);
  return {200, json::serialize(json::object{{"data", pe}}), "application/json", {}};
}

Response FakeErpNext::handle(const Request& r) {
  std::lock_guard l(mutex_);
  std::string auth = r.header("authorization");
  const std::string want = std::string("token ") + kKey + ":" + secret_;
  if (auth.size() >= 6) std::transform(auth.begin(), auth.begin() + 6, auth.begin(), ::tolower);
  if (auth != want) return frappe_error(401, "AuthenticationError", "");
  const std::string path = r.path();
  json::error_code ec;
  if (path == "/api/method/frappe.client.get_count") {
    json::array filters;
    if (const auto f = r.query("filters"); !f.empty()) filters = json::parse(f, ec).as_array();
    auto* rows = table(r.query("doctype"));
    std::int64_t n = 0;
    if (rows) {
      for (const auto& row : *rows) n += domain_matches(row, filters);
    }
    return {200, json::serialize(json::object{{"message", n}}), "application/json", {}};
  }
  if (path == "/api/method/frappe.client.cancel" && r.method == "POST") {
    const json::value body = json::parse(r.body, ec);
    if (ec) return frappe_error(417, "ValidationError", "Invalid JSON");
    const std::string name(body.at("name").as_string());
    for (auto& p : payments_) {
      if (p.at("name") != name.c_str()) continue;
      if (p.at("docstatus") != 1) return frappe_error(417, "DocstatusTransitionError", "Cannot cancel before submitting");
      p["docstatus"] = 2;
      for (const auto& ref : p.at("references").as_array()) {
        for (auto& i : invoices_) {
          if (i.at("name") != ref.at("reference_name")) continue;
          const auto total = std::llround(i.at("grand_total").to_number<double>() * 100);
          const auto left = std::llround(i.at("outstanding_amount").to_number<double>() * 100) +
                            std::llround(ref.at("allocated_amount").to_number<double>() * 100);
          i["outstanding_amount"] = as_float(decimal_of(left));
          i["status"] = status_of(left, total);
          i["modified"] = now_;
        }
      }
      return {200, json::serialize(json::object{{"message", nullptr}}), "application/json", {}};
    }
    return frappe_error(404, "DoesNotExistError", "Payment Entry " + name + " not found");
  }
  const std::string prefix = "/api/resource/";
  if (path.rfind(prefix, 0) != 0) return frappe_error(404, "DoesNotExistError", "Not Found");
  std::string rest = path.substr(prefix.size());
  const auto slash = rest.find('/');
  const std::string doctype = rest.substr(0, slash);
  if (slash != std::string::npos) {
    const std::string name = rest.substr(slash + 1);
    auto* rows = table(doctype);
    if (rows) {
      for (const auto& row : *rows) {
        if (row.at("name") == name.c_str()) return {200, json::serialize(json::object{{"data", row}}), "application/json", {}};
      }
    }
    return frappe_error(404, "DoesNotExistError", doctype + " " + name + " not found");
  }
  if (r.method == "GET") return list(doctype, r);
  if (r.method != "POST") return frappe_error(405, "PermissionError", "Not allowed");
  const json::value body = json::parse(r.body, ec);
  if (ec || !body.is_object()) return frappe_error(417, "ValidationError", "Invalid JSON");
  if (doctype == "Payment Entry") return insert_payment(body.as_object());
  if (doctype == "Comment") {
    json::object c = body.as_object();
    c["name"] = "c" + std::to_string(next_++);
    c["doctype"] = "Comment";
    c["creation"] = now_;
    comments_.push_back(c);
    return {200, json::serialize(json::object{{"data", c}}), "application/json", {}};
  }
  return frappe_error(403, "PermissionError", "Not permitted");
}

}  // namespace arcd::fakes
