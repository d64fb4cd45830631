#pragma once
// Customers and invoices as people type them in arcctl and the API: the ERP's id or number
// (in whichever source it is), or "#<id>" for arcd's own id. Problem codes: NOT_FOUND, and
// AMBIGUOUS when several sources share the id or number (then "#<id>" is needed).

#include <string>

#include "arcd/error.hpp"
#include "arcd/store.hpp"

namespace arcd::cashapp {

Result<Customer> customer_by_ref(Transaction& tx, const std::string& ref);
Result<Invoice> invoice_by_ref(Transaction& tx, const std::string& ref);

}  // namespace arcd::cashapp
