#pragma once
// The invoices CSV of the `csv` ERP connector, mapped to InvoiceRecords. Pure.
//
// Canonical columns (order free, names mappable from config):
//   invoice_number,customer_id,customer_name,currency,amount_total,amount_open,
//   issue_date,due_date,payment_reference,customer_iban,customer_email
// The last three may be absent or empty. Extra columns are ignored.

#include <map>
#include <string>
#include <string_view>

#include "arcd/erp_connector.hpp"
#include "arcd/error.hpp"
#include "arcd/money.hpp"

namespace arcd::mapping {

struct InvoiceCsvOptions {
  char delimiter = ',';
  DecimalFormat amount_format{};
  // canonical column name -> header name in the file, for exports that name columns otherwise
  std::map<std::string, std::string, std::less<>> column_names;
};

// Every canonical column, required ones first.
const std::vector<std::string>& invoice_csv_columns();
bool is_invoice_csv_column(std::string_view name);

// All or nothing: the first bad row fails the whole file. Problem codes: CSV_* from the reader,
// CSV_EMPTY, CSV_MISSING_COLUMN, CSV_DUPLICATE_COLUMN, CSV_FIELD_COUNT, CSV_REQUIRED_EMPTY,
// CSV_BAD_CURRENCY, CSV_BAD_AMOUNT, CSV_BAD_DATE, CSV_BAD_IBAN, CSV_OPEN_EXCEEDS_TOTAL,
// CSV_DUPLICATE_INVOICE, CSV_CUSTOMER_CONFLICT. `where` is "<origin>:<line> column <name>".
Result<InvoiceBatch> parse_invoice_csv(std::string_view text, std::string_view origin, const InvoiceCsvOptions& options);

}  // namespace arcd::mapping
