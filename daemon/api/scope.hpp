#pragma once
// Which customers a request's user may see and act on. A collector (without all_customers)
// works the customers whose collector they are — the customer's own, else the first
// matching [[collections.collectors]] rule's, else the default collector: the same answer
// the worklist gives. Every other role sees every customer.

#include <functional>
#include <string>

#include "api/http_types.hpp"
#include "arcd/store.hpp"

namespace arcd::api {

using CollectorOf = std::function<std::string(const Customer&)>;

class CustomerScope {
 public:
  CustomerScope(const HttpRequest& r, const CollectorOf& collector_of);
  bool everyone() const { return user_.empty(); }
  // The collector whose segment this is ("" for everyone).
  const std::string& collector() const { return user_; }
  bool allows(const Customer& c) const;
  bool allows(Transaction& tx, CustomerId id) const;
  bool allows_invoice(Transaction& tx, InvoiceId id) const;

 private:
  std::string user_;
  const CollectorOf* collector_of_;
};

// 403 not_your_customer naming what was asked for.
HttpResponse not_your_customer(const std::string& what);

}  // namespace arcd::api
