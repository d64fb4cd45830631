#pragma once
// Writing CSV (RFC 4180): a field is quoted only when it holds a comma, a quote or a line break.

#include <string>
#include <string_view>

namespace arcd::mapping {

std::string csv_field(std::string_view s);

}  // namespace arcd::mapping
