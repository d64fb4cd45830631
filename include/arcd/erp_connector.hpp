#pragma once
// What an ERP connector delivers: customers and open invoices as plain records, mapped from
// the ERP's own representation by mapping/. The daemon upserts them (daemon/sync).

#include <optional>
#include <string>
#include <vector>

#include "arcd/model.hpp"

namespace arcd {

struct InvoiceRecord {
  int line = 0;  // where it came from (CSV line, page*size+index) for error messages
  std::string invoice_number;
  std::string customer_external_id;
  std::string customer_name;
  std::string customer_email;
  std::string customer_iban;
  Money amount_total = Money::unset();
  Money amount_open = Money::unset();
  Date issue_date;
  Date due_date;
  std::string payment_reference;
};

struct InvoiceBatch {
  std::string origin;  // file path or endpoint, for the audit log and errors
  std::vector<InvoiceRecord> records;
};

}  // namespace arcd
