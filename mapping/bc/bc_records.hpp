#pragma once
// Microsoft Dynamics 365 Business Central API v2.0 on the wire: salesInvoices as arcd records
// (currencyCode "" means the company's local currency; lastModifiedDateTime is UTC with
// milliseconds), the OData filters arcd sends, customer payment journal lines (a payment is a
// NEGATIVE amount), and OData error bodies {"error": {"code", "message"}}. Pure.

#include <boost/json/object.hpp>
#include <string>

#include "arcd/erp_connector.hpp"

namespace arcd::mapping::bc {

// Throws arcd::Error ERP_FIELD naming the invoice and field. Drafts are not invoices yet:
// callers skip rows for which is_posted() is false.
InvoiceRecord invoice_from(const boost::json::object& row, const std::string& local_currency, int line);
bool is_posted(const boost::json::object& row);

// $filter values. A DateTimeOffset literal is unquoted; strings are quoted with '' escaping.
std::string changed_since_filter(const std::string& since);
std::string open_filter();
std::string quoted(const std::string& s);

// The journal line that pays `invoice_number` with arcd's key as external document number.
boost::json::object payment_line(const PaymentPush& p, const std::string& customer_number);

// "Request_EntityChanged: Another user has already changed the record." from an error body.
std::string error_message(const std::string& body);
std::string error_code(const std::string& body);

}  // namespace arcd::mapping::bc
