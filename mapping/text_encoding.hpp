#pragma once
// Bank text files come in UTF-8, UTF-8 with a byte order mark, or ISO-8859-1/15 (German and
// Polish MT940, some BAI2). Parsers work on UTF-8.

#include <string>
#include <string_view>

namespace arcd::mapping {

bool is_valid_utf8(std::string_view s) noexcept;
// Drops a UTF-8 BOM; text that is not valid UTF-8 is read as ISO-8859-1 and converted.
std::string to_utf8(std::string_view bytes);

}  // namespace arcd::mapping
