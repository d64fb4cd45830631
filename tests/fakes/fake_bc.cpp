#include "fake_bc.hpp"

#include <algorithm>
#include <sstream>

#include "fake_odoo.hpp"  // cents_of, decimal_of

namespace arcd::fakes {
namespace json = boost::json;

namespace {

Response odata_error(int status, const std::string& code, const std::string& message) {
  return {status,
          json::serialize(json::object{{"error", json::object{{"code", code},
                                                             {"message", message + "  CorrelationId:  4b8e2f1a-6c3d-4e5f-8a9b-0c1d2e3f4a5b."}}}}),
          "application/json",
          {}};
}

json::value as_float(std::int64_t cents) { return json::value(std::strtod(decimal_of(cents).c_str(), nullptr)); }
std::int64_t cents(const json::value& v) { return std::llround(v.to_number<double>() * 100); }

// "status eq 'Open' and lastModifiedDateTime ge 2024-05-10T00:00:00Z"
bool matches(const json::object& row, const std::string& filter) {
  if (filter.empty()) return true;
  std::string rest = filter;
  for (;;) {
    const auto and_at = rest.find(" and ");
    const std::string term = rest.substr(0, and_at);
    std::istringstream ts(term);
    std::string field, op, value;
    ts >> field >> op;
    std::getline(ts, value);
    value.erase(0, value.find_first_not_of(' '));
    if (value.size() >= 2 && value.front() == '\'') value = value.substr(1, value.size() - 2);
    const json::value* have = row.if_contains(field);
    std::string text = have && have->is_string() ? std::string(have->get_string()) : "";
    // Compare stamps to the second, as OData compares DateTimeOffsets.
    if (field == "lastModifiedDateTime") {
      text = text.substr(0, 19);
      value = value.substr(0, 19);
    }
    bool ok = op == "eq" ? text == value : op == "ge" ? text >= value : op == "gt" ? text > value : false;
    if (!ok) return false;
    if (and_at == std::string::npos) return true;
    rest = rest.substr(and_at + 5);
  }
}

}  // namespace

FakeBusinessCentral::FakeBusinessCentral() : server_([this](const Request& r) { return handle(r); }) {}

void FakeBusinessCentral::add_invoice(const std::string& id, const std::string& number, const std::string& customer_number,
                                      const std::string& customer_name, const std::string& email, const std::string& total,
                                      const std::string& remaining, const std::string& modified) {
  std::lock_guard l(mutex_);
  invoices_.push_back(json::object{{"@odata.etag", "W/\"JzE5OzgzNjQ1NjgxNzYxMjE5NjcwMzkxOzAwOyc=\""},
                                   {"id", id},
                                   {"number", number},
                                   {"externalDocumentNumber", ""},
                                   {"invoiceDate", "2024-04-02"},
                                   {"postingDate", "2024-04-02"},
                                   {"dueDate", "2024-05-02"},
                                   {"customerNumber", customer_number},
                                   {"customerName", customer_name},
                                   {"currencyCode", ""},
                                   {"remainingAmount", as_float(cents_of(remaining))},
                                   {"totalAmountIncludingTax", as_float(cents_of(total))},
                                   {"status", cents_of(remaining) == 0 ? "Paid" : "Open"},
                                   {"lastModifiedDateTime", modified},
                                   {"email", email}});
}

void FakeBusinessCentral::load_fixture_dataset() {
  add_invoice("9e0f5c9c-44e3-ea11-bb43-000d3a2feca1", "103001", "10000", "Deco Addict", "deco.addict82@example.com", "1150.00", "650.00",
              "2024-05-10T08:15:42.337Z");
  add_invoice("9e0f5c9c-44e3-ea11-bb43-000d3a2feca2", "103002", "20000", "Gemini Furniture", "gemini.furniture39@example.com", "2300.00",
              "2300.00", "2024-05-10T09:02:11.120Z");
}

void FakeBusinessCentral::expire_tokens() {
  std::lock_guard l(mutex_);
  tokens_.clear();
}

void FakeBusinessCentral::set_secret(const std::string& s) {
  std::lock_guard l(mutex_);
  secret_ = s;
  tokens_.clear();
}

void FakeBusinessCentral::touch_line(const std::string& key) {
  std::lock_guard l(mutex_);
  for (auto& line : lines_) {
    if (line.at("externalDocumentNumber") == key.c_str()) line["@odata.etag"] = "W/\"changed-" + std::to_string(next_++) + "\"";
  }
}

std::string FakeBusinessCentral::remaining_of(const std::string& id) const {
  std::lock_guard l(mutex_);
  for (const auto& i : invoices_) {
    if (i.at("id") == id.c_str()) return decimal_of(cents(i.at("remainingAmount")));
  }
  return "";
}

int FakeBusinessCentral::payments_with(const std::string& key) const {
  std::lock_guard l(mutex_);
  int n = 0;
  for (const auto& line : lines_) n += line.at("externalDocumentNumber") == key.c_str();
  for (const auto& e : ledger_) n += e.at("description") == key.c_str();
  return n;
}

int FakeBusinessCentral::posted_with(const std::string& key) const {
  std::lock_guard l(mutex_);
  int n = 0;
  for (const auto& e : ledger_) n += e.at("description") == key.c_str();
  return n;
}

Response FakeBusinessCentral::handle(const Request& r) {
  std::lock_guard l(mutex_);
  if (r.path() == "/tenant/oauth2/v2.0/token") {
    const bool ok = r.body.find("grant_type=client_credentials") != std::string::npos &&
                    r.body.find("client_id=" + std::string(kClientId)) != std::string::npos &&
                    r.body.find("client_secret=" + secret_) != std::string::npos;
    if (!ok) {
      return {401,
              json::serialize(json::object{{"error", "invalid_client"},
                                           {"error_description", "AADSTS7000215: Invalid client secret provided."},
                                           {"error_codes", json::array{7000215}}}),
              "application/json",
              {}};
    }
    const std::string token = "eyJ0eXAi.fake." + std::to_string(next_++);
    tokens_.insert(token);
    return {200, json::serialize(json::object{{"token_type", "Bearer"}, {"expires_in", 3599}, {"ext_expires_in", 3599}, {"access_token", token}}),
            "application/json", {}};
  }
  const std::string auth = r.header("authorization");
  if (auth.rfind("Bearer ", 0) != 0 || !tokens_.count(auth.substr(7))) {
    return odata_error(401, "Authentication_InvalidCredentials", "The server has rejected the client credentials.");
  }
  const std::string base = std::string("/api/v2.0/companies(") + kCompany + ")";
  const std::string path = r.path();
  if (path.rfind(base, 0) != 0) return odata_error(404, "BadRequest_ResourceNotFound", "Resource not found for the segment.");
  return api(path.substr(base.size()), r);
}

Response FakeBusinessCentral::api(const std::string& path, const Request& r) {
  const std::string journal = std::string("/customerPaymentJournals(") + kJournal + ")/customerPayments";
  auto page_of = [&](std::vector<const json::object*> rows) {
    std::size_t size = rows.size();
    const std::string prefer = r.header("prefer");
    if (auto at = prefer.find("odata.maxpagesize="); at != std::string::npos) size = std::stoul(prefer.substr(at + 18));
    const std::string skip = r.query("$skiptoken");
    const std::size_t start = skip.empty() ? 0 : std::stoul(skip);
    json::array value;
    for (std::size_t i = start; i < rows.size() && value.size() < size; ++i) value.push_back(*rows[i]);
    json::object out{{"@odata.context", "https://api.businesscentral.dynamics.com/$metadata"}, {"value", value}};
    if (start + value.size() < rows.size()) {
      std::string target = r.target;
      if (auto at = target.find("&$skiptoken="); at != std::string::npos) target = target.substr(0, at);
      out["@odata.nextLink"] = url() + target + "&$skiptoken=" + std::to_string(start + value.size());
    }
    return Response{200, json::serialize(out), "application/json", {}};
  };
  if (r.method == "GET" && path == "/salesInvoices") {
    std::vector<const json::object*> rows;
    for (const auto& i : invoices_) {
      if (matches(i, r.query("$filter"))) rows.push_back(&i);
    }
    if (r.query("$orderby").rfind("lastModifiedDateTime", 0) == 0) {
      std::stable_sort(rows.begin(), rows.end(), [](const json::object* a, const json::object* b) {
        return a->at("lastModifiedDateTime").as_string() < b->at("lastModifiedDateTime").as_string();
      });
    }
    return page_of(rows);
  }
  if (r.method == "GET" && path.rfind("/salesInvoices(", 0) == 0) {
    const std::string id = path.substr(15, path.size() - 16);
    for (const auto& i : invoices_) {
      if (i.at("id") == id.c_str()) return {200, json::serialize(i), "application/json", {}};
    }
    return odata_error(404, "BadRequest_NotFound", "The salesInvoice does not exist.");
  }
  if (r.method == "GET" && path == journal) {
    std::vector<const json::object*> rows;
    for (const auto& line : lines_) {
      if (matches(line, r.query("$filter"))) rows.push_back(&line);
    }
    return page_of(rows);
  }
  if (r.method == "GET" && path == "/generalLedgerEntries") {
    std::vector<const json::object*> rows;
    for (const auto& e : ledger_) {
      if (matches(e, r.query("$filter"))) rows.push_back(&e);
    }
    return page_of(rows);
  }
  if (r.method == "POST" && path == journal) {
    json::error_code ec;
    const json::value body = json::parse(r.body, ec);
    if (ec || !body.is_object()) return odata_error(400, "BadRequest", "Invalid request body.");
    const auto& b = body.as_object();
    if (cents(b.at("amount")) >= 0) return odata_error(400, "Application_DialogException", "The \"amount\" should be a negative number.");
    const auto inv = std::find_if(invoices_.begin(), invoices_.end(), [&](const json::object& i) { return i.at("number") == b.at("appliesToInvoiceNumber"); });
    if (inv == invoices_.end()) {
      return odata_error(400, "Application_DialogException", "The \"appliesToInvoiceNumber\" does not match to a Sales Invoice.");
    }
    json::object line = b;
    line["@odata.etag"] = "W/\"line-" + std::to_string(next_) + "\"";
    line["id"] = "5d6e7f80-0000-4c3d-9e8f-" + std::to_string(100000000000 + next_++);
    line["journalId"] = kJournal;
    line["appliesToInvoiceId"] = inv->at("id");
    lines_.push_back(line);
    Response resp{201, json::serialize(line), "application/json", {}};
    resp.headers["ETag"] = std::string(line.at("@odata.etag").as_string());
    return resp;
  }
  if (r.method == "DELETE" && path.rfind(journal + "(", 0) == 0) {
    const std::string id = path.substr(journal.size() + 1, path.size() - journal.size() - 2);
    for (auto it = lines_.begin(); it != lines_.end(); ++it) {
      if (it->at("id") != id.c_str()) continue;
      const std::string match = r.header("if-match");
      if (match.empty()) return odata_error(400, "BadRequest_InvalidToken", "Could not validate the client concurrency token required by the service.");
      if (match != "*" && match != it->at("@odata.etag").as_string()) {
        return odata_error(409, "Request_EntityChanged", "Another user has already changed the record.");
      }
      lines_.erase(it);
      return {204, "", "application/json", {}};
    }
    return odata_error(404, "BadRequest_NotFound", "The customerPayment does not exist.");
  }
  if (r.method == "POST" && path == std::string("/journals(") + kJournal + ")/Microsoft.NAV.post") {
    if (lines_.empty()) return odata_error(400, "Application_DialogException", "There is nothing to post.");
    for (const auto& line : lines_) {
      for (auto& i : invoices_) {
        if (i.at("number") != line.at("appliesToInvoiceNumber")) continue;
        const std::int64_t left = cents(i.at("remainingAmount")) + cents(line.at("amount"));
        i["remainingAmount"] = as_float(left);
        i["status"] = left == 0 ? "Paid" : "Open";
        // As in Business Central: lastModifiedDateTime does not move.
      }
      ledger_.push_back(json::object{{"id", "gl-" + std::to_string(next_++)},
                                     {"description", line.at("description")},
                                     {"documentNumber", "G0" + std::to_string(next_)},
                                     {"creditAmount", as_float(-cents(line.at("amount")))}});
    }
    lines_.clear();
    return {204, "", "application/json", {}};
  }
  return odata_error(404, "BadRequest_ResourceNotFound", "Resource not found for the segment '" + path + "'.");
}

}  // namespace arcd::fakes
