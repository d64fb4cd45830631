#include "arcd/erp_connector.hpp"

namespace arcd {

std::string_view to_string(ErpFailure f) noexcept {
  switch (f) {
    case ErpFailure::transient: return "transient";
    case ErpFailure::rate_limited: return "rate_limited";
    case ErpFailure::auth: return "auth";
    case ErpFailure::rejected: return "rejected";
    case ErpFailure::not_found: return "not_found";
  }
  return "transient";
}

std::string ErpError::code_of(ErpFailure kind) {
  switch (kind) {
    case ErpFailure::transient: return "ERP_TRANSIENT";
    case ErpFailure::rate_limited: return "ERP_RATE_LIMITED";
    case ErpFailure::auth: return "ERP_AUTH";
    case ErpFailure::rejected: return "ERP_REJECTED";
    case ErpFailure::not_found: return "ERP_NOT_FOUND";
  }
  return "ERP_TRANSIENT";
}

}  // namespace arcd
