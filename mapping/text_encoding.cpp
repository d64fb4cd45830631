#include "mapping/text_encoding.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace arcd::mapping {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// Windows-1252 at 0x80-0x9F, where ISO-8859-1 has control codes no bank text holds. The five
// bytes Windows leaves undefined keep their control code, as Windows itself reads them.
constexpr std::array<char32_t, 32> kWindows1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// The eight places where ISO-8859-15 differs from ISO-8859-1.
char32_t iso_8859_15(unsigned char c) {
  switch (c) {
    case 0xA4: return 0x20AC;  // euro sign
    case 0xA6: return 0x0160;
    case 0xA8: return 0x0161;
    case 0xB4: return 0x017D;
    case 0xB8: return 0x017E;
    case 0xBC: return 0x0152;
    case 0xBD: return 0x0153;
    case 0xBE: return 0x0178;
    default: return c;
  }
}

void append_code_point(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Bank files are ASCII but for a name or a word here and there: skip eight ASCII bytes at a time.
std::size_t ascii_prefix(std::string_view s) noexcept {
  std::size_t i = 0;
  for (std::uint64_t word; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

}  // namespace

std::optional<TextEncoding> text_encoding_named(std::string_view name) {
  if (same_name(name, "auto")) return TextEncoding::automatic;
  for (auto n : {"utf-8", "utf8", "us-ascii", "ascii"}) {  // ASCII is UTF-8
    if (same_name(name, n)) return TextEncoding::utf8;
  }
  for (auto n : {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1"}) {
    if (same_name(name, n)) return TextEncoding::iso_8859_1;
  }
  for (auto n : {"iso-8859-15", "iso8859-15", "iso_8859-15", "latin9", "latin-9"}) {
    if (same_name(name, n)) return TextEncoding::iso_8859_15;
  }
  for (auto n : {"windows-1252", "cp1252"}) {
    if (same_name(name, n)) return TextEncoding::windows_1252;
  }
  return std::nullopt;
}

const char* to_string(TextEncoding e) {
  switch (e) {
    case TextEncoding::automatic: return "auto";
    case TextEncoding::utf8: return "utf-8";
    case TextEncoding::iso_8859_1: return "iso-8859-1";
    case TextEncoding::iso_8859_15: return "iso-8859-15";
    case TextEncoding::windows_1252: return "windows-1252";
  }
  return "auto";
}

std::optional<std::size_t> first_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = ascii_prefix(s);
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range: no overlong forms, no surrogates
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if ((c >> 4) == 0xE) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;  // a stray continuation byte, an overlong lead, or beyond U+10FFFF
    }
    if (i + n >= s.size()) return i;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b >> 6) != 0x2) return i;
    }
    i += n + 1;
  }
  return std::nullopt;
}

bool is_valid_utf8(std::string_view s) noexcept { return !first_invalid_utf8(s); }

void append_single_byte_as_utf8(std::string_view bytes, TextEncoding from, std::string& out) {
  out.reserve(out.size() + bytes.size() + bytes.size() / 8);
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t ascii = ascii_prefix(bytes.substr(i));
    out.append(bytes.data() + i, ascii);
    i += ascii;
    if (i == bytes.size()) break;
    const auto c = static_cast<unsigned char>(bytes[i++]);
    char32_t cp = c;
    if (from == TextEncoding::iso_8859_15) cp = iso_8859_15(c);
    else if (from != TextEncoding::iso_8859_1 && c < 0xA0) cp = kWindows1252High[c - 0x80];
    append_code_point(cp, out);
  }
}

std::string to_utf8(std::string_view bytes, TextEncoding encoding) {
  std::string out;
  if (encoding == TextEncoding::automatic || encoding == TextEncoding::utf8) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    if (is_valid_utf8(bytes)) return std::string(bytes);
    encoding = TextEncoding::windows_1252;
  }
  append_single_byte_as_utf8(bytes, encoding, out);
  return out;
}

}  // namespace arcd::mapping
