#include "arcd/access.hpp"

namespace arcd {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::viewer: return "viewer";
    case Role::collector: return "collector";
    case Role::manager: return "manager";
    case Role::admin: return "admin";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r : {Role::viewer, Role::collector, Role::manager, Role::admin})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

}  // namespace arcd
