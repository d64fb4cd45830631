#include "arcd/iban.hpp"

#include <cctype>

namespace arcd {

std::string normalize_account(std::string_view account) {
  std::string out;
  out.reserve(account.size());
  for (char c : account) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool looks_like_iban(std::string_view s) {
  return s.size() >= 4 && std::isupper(static_cast<unsigned char>(s[0])) && std::isupper(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[2])) && std::isdigit(static_cast<unsigned char>(s[3]));
}

bool is_valid_iban(std::string_view s) {
  if (s.size() < 15 || s.size() > 34 || !looks_like_iban(s)) return false;
  // Move the first four characters to the end, letters become 10..35, then mod 97 must be 1.
  int remainder = 0;
  auto feed = [&](char c) -> bool {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (std::isupper(static_cast<unsigned char>(c))) {
      int v = c - 'A' + 10;
      remainder = (remainder * 100 + v) % 97;
    } else {
      return false;
    }
    return true;
  };
  for (std::size_t i = 4; i < s.size(); ++i)
    if (!feed(s[i])) return false;
  for (std::size_t i = 0; i < 4; ++i)
    if (!feed(s[i])) return false;
  return remainder == 1;
}

}  // namespace arcd
