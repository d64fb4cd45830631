#include "cashapp/typed_refs.hpp"

namespace arcd::cashapp {
namespace {

// "#123" -> 123; nullopt for anything else.
std::optional<std::int64_t> own_id(const std::string& ref) {
  if (!ref.starts_with("#")) return std::nullopt;
  try {
    std::size_t used = 0;
    const auto v = std::stoll(ref.substr(1), &used);
    if (used == ref.size() - 1 && v > 0) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

template <class T>
Result<T> the_one(std::vector<T> found, const std::string& what, const std::string& ref) {
  if (found.empty()) return Problem{"NOT_FOUND", what, "no " + what + " '" + ref + "'"};
  if (found.size() > 1) {
    return Problem{"AMBIGUOUS", what, "'" + ref + "' names " + std::to_string(found.size()) + " " + what + "s (one per source); use #id"};
  }
  return std::move(found.front());
}

}  // namespace

Result<Customer> customer_by_ref(Transaction& tx, const std::string& ref) {
  if (ref.starts_with("#")) {
    const auto id = own_id(ref);
    auto c = id ? tx.customers().get(CustomerId(*id)) : std::nullopt;
    if (!c) return Problem{"NOT_FOUND", "customer", "no customer " + ref};
    return *c;
  }
  return the_one(tx.customers().find_by_external_id_any(ref), "customer", ref);
}

Result<Invoice> invoice_by_ref(Transaction& tx, const std::string& ref) {
  if (ref.starts_with("#")) {
    const auto id = own_id(ref);
    auto i = id ? tx.invoices().get(InvoiceId(*id)) : std::nullopt;
    if (!i) return Problem{"NOT_FOUND", "invoice", "no invoice " + ref};
    return *i;
  }
  return the_one(tx.invoices().find_by_number_any(ref), "invoice", ref);
}

}  // namespace arcd::cashapp
