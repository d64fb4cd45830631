#pragma once
// What every ERP mapping does the same way: rows of a list answer into a page of invoice
// records (a row the mapping refuses makes the whole page refused, naming the row), and
// customers' e-mail and bank accounts merged into the invoices that name them.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "arcd/erp_connector.hpp"

namespace arcd::mapping {

// `row_to_record(row, line)` throws arcd::Error ERP_FIELD for a row it cannot read; that
// becomes ErpError(rejected). A page as long as `page_size` has a next page after its last
// record, at `token_after(last)`.
InvoicePage invoice_page(const boost::json::array& rows, int page_size, const std::string& what,
                         const std::function<InvoiceRecord(const boost::json::object&, int)>& row_to_record,
                         const std::function<std::string(const InvoiceRecord&)>& token_after);

// Customer id -> e-mail, and -> bank accounts (normalized), merged into the invoices.
struct CustomerDetails {
  std::map<std::string, std::string> email;
  std::map<std::string, std::vector<std::string>> accounts;
  void add_account(const std::string& customer, const std::string& raw_account);
  void apply(std::vector<InvoiceRecord>& invoices) const;
};

}  // namespace arcd::mapping
