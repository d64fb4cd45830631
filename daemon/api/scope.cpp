#include "api/scope.hpp"

namespace arcd::api {

CustomerScope::CustomerScope(const HttpRequest& r, const CollectorOf& collector_of) : collector_of_(&collector_of) {
  if (r.principal && !r.principal->every_customer()) user_ = r.principal->user;
}

bool CustomerScope::allows(const Customer& c) const { return everyone() || (*collector_of_)(c) == user_; }

bool CustomerScope::allows(Transaction& tx, CustomerId id) const {
  if (everyone()) return true;
  const auto c = tx.customers().get(id);
  return c && allows(*c);
}

bool CustomerScope::allows_invoice(Transaction& tx, InvoiceId id) const {
  if (everyone()) return true;
  const auto inv = tx.invoices().get(id);
  return inv && allows(tx, inv->customer_id);
}

HttpResponse not_your_customer(const std::string& what) {
  return problem(403, "not_your_customer", what + " belongs to a customer outside your segment");
}

}  // namespace arcd::api
