#include "mapping/erp_pages.hpp"

#include "arcd/iban.hpp"

namespace arcd::mapping {

InvoicePage invoice_page(const boost::json::array& rows, int page_size, const std::string& what,
                         const std::function<InvoiceRecord(const boost::json::object&, int)>& row_to_record,
                         const std::function<std::string(const InvoiceRecord&)>& token_after) {
  InvoicePage page;
  int line = 0;
  for (const auto& row : rows) {
    if (!row.is_object()) throw ErpError(ErpFailure::transient, what + ": a row is not an object");
    try {
      page.records.push_back(row_to_record(row.get_object(), ++line));
    } catch (const ErpError&) {
      throw;
    } catch (const Error& e) {
      throw ErpError(ErpFailure::rejected, what + ": " + e.detail());
    }
  }
  if (static_cast<int>(page.records.size()) >= page_size && !page.records.empty()) {
    page.next_page_token = token_after(page.records.back());
  }
  return page;
}

void CustomerDetails::add_account(const std::string& customer, const std::string& raw_account) {
  const std::string account = normalize_account(raw_account);
  if (!customer.empty() && !account.empty()) accounts[customer].push_back(account);
}

void CustomerDetails::apply(std::vector<InvoiceRecord>& invoices) const {
  for (auto& r : invoices) {
    if (auto e = email.find(r.customer_external_id); e != email.end()) r.customer_email = e->second;
    if (auto a = accounts.find(r.customer_external_id); a != accounts.end()) {
      r.customer_accounts = a->second;
      if (r.customer_iban.empty()) r.customer_iban = a->second.front();
    }
  }
}

}  // namespace arcd::mapping
