#pragma once
// ERPNext (Frappe REST, v14/v15 /api/resource) on the wire: Sales Invoices as arcd records,
// the list queries arcd sends (fields, filters, or_filters, order_by), and Frappe's error
// bodies (exc_type, and _server_messages: a JSON string of a list of JSON strings). Pure.
// `modified` is site-local time with microseconds: "2024-05-10 10:15:42.381204".

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "arcd/erp_connector.hpp"

namespace arcd::mapping::erpnext {

boost::json::array invoice_fields();

// A list query's parameters (JSON, not yet URL-encoded).
struct ListQuery {
  boost::json::array filters;
  boost::json::array or_filters;  // empty: none
  std::string order_by;
};

// Keyset paging: a page token is "modified|name" (incremental) or "name" (sweep) of the last
// row of the page before.
ListQuery changed_invoices(const std::string& since, const std::string& page_token);
ListQuery open_invoices(const std::string& page_token);
std::string page_token_after(const InvoiceRecord& last, bool incremental);

// One Sales Invoice row (list or single document). Throws arcd::Error ERP_FIELD.
InvoiceRecord invoice_from(const boost::json::object& row, int line);

// Fills e-mail and accounts from Customer rows (name, email_id) and Bank Account rows
// (party, iban, bank_account_no).
void add_customer_details(std::vector<InvoiceRecord>& invoices, const boost::json::array& customers,
                          const boost::json::array& bank_accounts);

// The readable message of an error body: _server_messages decoded twice, else `exception`,
// else v2 `errors[].message`, else exc_type, else the text itself.
std::string error_message(const std::string& body);

// The Payment Entry arcd creates and submits for one application.
struct PaymentEntrySettings {
  std::string company;
  std::string paid_to;          // the bank account (ledger) the money arrived in
  std::string paid_from;        // the receivable account; empty: ERPNext derives it from the party
  std::string mode_of_payment;
};
boost::json::object payment_entry(const PaymentPush& p, const std::string& customer, const PaymentEntrySettings& s);

}  // namespace arcd::mapping::erpnext
