#include "cashapp/number_keys.hpp"

#include <algorithm>
#include <cctype>

namespace arcd::cashapp {
namespace {

struct Token {
  std::string text;  // upper case, all letters or all digits
  bool digits = false;
  std::size_t gap = 0;  // separator characters before it (0 when split from the previous token mid-word)
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t gap = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c)) {
      ++gap;
      ++i;
      continue;
    }
    const bool digit = std::isdigit(c) != 0;
    Token t;
    t.digits = digit;
    t.gap = out.empty() ? 99 : gap;
    while (i < s.size() && std::isalnum(static_cast<unsigned char>(s[i])) && (std::isdigit(static_cast<unsigned char>(s[i])) != 0) == digit) {
      t.text += static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
      ++i;
    }
    out.push_back(std::move(t));
    gap = 0;
  }
  return out;
}

bool is_prefix(const Token& t, const std::vector<std::string>& prefixes) {
  return !t.digits && std::find(prefixes.begin(), prefixes.end(), t.text) != prefixes.end();
}

std::string strip_zeros(const Token& t) {
  if (!t.digits) return t.text;
  const auto nz = t.text.find_first_not_of('0');
  return nz == std::string::npos ? "0" : t.text.substr(nz);
}

void add_keys(const Token* first, const Token* last, std::size_t min_length, std::vector<std::string>& out) {
  std::string joined, raw;
  bool any_digit = false;
  for (const Token* t = first; t != last; ++t) {
    any_digit = any_digit || t->digits;
    if (!joined.empty()) joined += '-';
    joined += strip_zeros(*t);
    raw += t->text;
  }
  if (!any_digit) return;
  // Short text is evidence only with structure: "P-2-5" (three tokens, zeros dropped from
  // "P2-00005") is, a bare "25" is not.
  const auto tokens = static_cast<std::size_t>(last - first);
  bool letters_after_first = false;
  for (const Token* t = first + 1; t < last; ++t) letters_after_first = letters_after_first || !t->digits;
  if (raw.size() >= min_length || (tokens >= 3 && !letters_after_first)) out.push_back("J:" + joined);
  if (raw.size() >= min_length) out.push_back("C:" + raw);
  // Deliberately not the concatenation without zeros: "P3-017" and "P31-7" would both be
  // "P317", and a paid invoice's number would then name another one.
}

}  // namespace

std::vector<std::string> invoice_number_keys(std::string_view number, const std::vector<std::string>& prefixes,
                                             std::size_t min_length) {
  auto tokens = tokenize(number);
  std::size_t start = 0;
  while (start + 1 < tokens.size() && is_prefix(tokens[start], prefixes)) ++start;
  std::vector<std::string> out;
  if (start < tokens.size()) add_keys(tokens.data() + start, tokens.data() + tokens.size(), min_length, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> text_number_keys(std::string_view text, const std::vector<std::string>& prefixes,
                                          std::size_t min_length) {
  const auto tokens = tokenize(text);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    // A number starts with digits, or with a short code glued to digits ("SO1234") or a
    // letter or two just before them ("A 1234"); never with a word ("and 7") or a prefix
    // word, whose run is tried from the next token anyway.
    const bool starts = t.digits || (!is_prefix(t, prefixes) && t.text.size() <= 4 && i + 1 < tokens.size() &&
                                     tokens[i + 1].digits &&
                                     (tokens[i + 1].gap == 0 || (tokens[i + 1].gap == 1 && t.text.size() <= 2)));
    if (!starts) continue;
    for (std::size_t len = 1; len <= 5 && i + len <= tokens.size(); ++len) {
      const Token& next = tokens[i + len - 1];
      if (len > 1 && next.gap > 3) break;
      if (len > 1 && !next.digits && next.gap > 0) break;  // "12 and 7": a word ends the number
      add_keys(tokens.data() + i, tokens.data() + i + len, min_length, out);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace arcd::cashapp
