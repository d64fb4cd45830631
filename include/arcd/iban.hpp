#pragma once
// Bank account identifiers as payers write them.

#include <string>
#include <string_view>

namespace arcd {

// Upper case, spaces and dashes removed: "de89 3704-0044 0532 0130 00" -> "DE89370400440532013000".
std::string normalize_account(std::string_view account);
// True when `s` (normalized) has the shape of an IBAN and its ISO 7064 mod-97 check passes.
bool is_valid_iban(std::string_view normalized);
// True when `s` (normalized) starts like an IBAN (two letters, two digits), whether or not valid.
bool looks_like_iban(std::string_view normalized);

}  // namespace arcd
