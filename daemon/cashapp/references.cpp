#include "cashapp/references.hpp"

#include <cctype>

namespace arcd::cashapp {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string compact_reference(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_alnum(c)) out += upper(c);
  }
  return out;
}

bool is_valid_rf(std::string_view r) {
  if (r.size() < 5 || r.size() > 25 || r[0] != 'R' || r[1] != 'F' || !is_digit(r[2]) || !is_digit(r[3])) return false;
  // Move "RFnn" to the end, letters become 10..35, then mod 97 digit by digit.
  int mod = 0;
  auto feed = [&](char c) {
    if (is_digit(c)) {
      mod = (mod * 10 + (c - '0')) % 97;
    } else {
      const int v = c - 'A' + 10;
      mod = (mod * 100 + v) % 97;
    }
  };
  for (std::size_t i = 4; i < r.size(); ++i) {
    const char c = r[i];
    if (!is_digit(c) && !(c >= 'A' && c <= 'Z')) return false;
    feed(c);
  }
  for (std::size_t i = 0; i < 4; ++i) feed(r[i]);
  return mod == 1;
}

std::vector<std::string> find_rf_references(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 4 < text.size(); ++i) {
    if (upper(text[i]) != 'R' || upper(text[i + 1]) != 'F' || !is_digit(text[i + 2]) || !is_digit(text[i + 3])) continue;
    if (i > 0 && is_alnum(text[i - 1])) continue;  // "XRF18..." is not a reference start
    // Collect up to 25 characters, single spaces between groups allowed; then the longest
    // prefix that passes the check (a word may follow without a gap).
    std::string ref = "RF";
    std::vector<std::pair<std::size_t, std::size_t>> group_ends;  // (length of ref, text index after it)
    std::size_t j = i + 2;
    while (j < text.size() && ref.size() < 25) {
      if (is_alnum(text[j])) {
        ref += upper(text[j]);
        ++j;
      } else if (text[j] == ' ' && j + 1 < text.size() && is_alnum(text[j + 1])) {
        group_ends.emplace_back(ref.size(), j);
        ++j;
      } else {
        break;
      }
    }
    group_ends.emplace_back(ref.size(), j);
    for (auto it = group_ends.rbegin(); it != group_ends.rend(); ++it) {
      const std::string candidate = ref.substr(0, it->first);
      if (is_valid_rf(candidate)) {
        out.push_back(candidate);
        i = it->second - 1;  // go on after the reference, not after what was read past it
        break;
      }
    }
  }
  return out;
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (i < text.size()) {
    while (i < text.size() && space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !space(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::vector<std::string> find_digit_runs(std::string_view text, std::size_t min_digits) {
  // Digit groups, each marked whether a printed-reference separator joins it to the previous.
  struct Group {
    std::string digits;
    bool joined = false;
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    const bool joined = !groups.empty() && start >= 2 && start - 1 < text.size() &&
                        (text[start - 1] == ' ' || text[start - 1] == '.' || text[start - 1] == '/' ||
                         text[start - 1] == '+' || text[start - 1] == '-') &&
                        is_digit(text[start - 2]);
    groups.push_back({std::string(text.substr(start, i - start)), joined});
  }
  // Every run of up to eight joined groups: a reference may sit beside other numbers.
  std::vector<std::string> out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::string run;
    for (std::size_t k = g; k < groups.size() && k < g + 8; ++k) {
      if (k > g && !groups[k].joined) break;
      run += groups[k].digits;
      if (run.size() >= min_digits) out.push_back(run);
    }
  }
  return out;
}

std::string make_rf(std::string_view body) {
  // ISO 11649 check digits: body + "RF00" with letters as 10..35, 98 minus the remainder mod 97.
  int mod = 0;
  auto feed = [&](char ch) {
    if (ch >= '0' && ch <= '9') {
      mod = (mod * 10 + (ch - '0')) % 97;
    } else {
      const int v = ch - 'A' + 10;
      mod = (mod * 100 + v) % 97;
    }
  };
  for (char ch : body) feed(ch);
  for (char ch : std::string_view("RF00")) feed(ch);
  const int check = 98 - mod;
  std::string out = "RF";
  out += static_cast<char>('0' + check / 10);
  out += static_cast<char>('0' + check % 10);
  out += body;
  return out;
}

}  // namespace arcd::cashapp
