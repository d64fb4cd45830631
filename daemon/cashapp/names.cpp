#include "cashapp/names.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace arcd::cashapp {
namespace {

// Two-byte UTF-8 letters of Latin-1 (after 0xC3) folded to ASCII.
std::string_view fold_c3(unsigned char second) {
  switch (second) {
    case 0x80: case 0x81: case 0x82: case 0x83: case 0x85: case 0xA0: case 0xA1: case 0xA2: case 0xA3: case 0xA5: return "a";
    case 0x84: case 0xA4: return "ae";
    case 0x86: case 0xA6: return "ae";
    case 0x87: case 0xA7: return "c";
    case 0x88: case 0x89: case 0x8A: case 0x8B: case 0xA8: case 0xA9: case 0xAA: case 0xAB: return "e";
    case 0x8C: case 0x8D: case 0x8E: case 0x8F: case 0xAC: case 0xAD: case 0xAE: case 0xAF: return "i";
    case 0x91: case 0xB1: return "n";
    case 0x92: case 0x93: case 0x94: case 0x95: case 0x98: case 0xB2: case 0xB3: case 0xB4: case 0xB5: case 0xB8: return "o";
    case 0x96: case 0xB6: return "oe";
    case 0x99: case 0x9A: case 0x9B: case 0xB9: case 0xBA: case 0xBB: return "u";
    case 0x9C: case 0xBC: return "ue";
    case 0x9D: case 0xBD: case 0xBF: return "y";
    case 0x9F: return "ss";
    default: return " ";
  }
}

// Legal forms and joiners, written as they are after folding and with dots removed.
constexpr std::array<std::string_view, 52> kNoise = {
    "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "ev", "se", "co", "cie", "bv", "nv", "vof", "cv",
    "ltd", "limited", "llc", "llp", "lp", "inc", "incorporated", "corp", "corporation", "company", "plc", "sa",
    "sas", "sarl", "srl", "spa", "sl", "slu", "oy", "oyj", "ab", "as", "asa", "aps", "pty", "gesmbh", "the",
    "and", "und", "et", "en", "e", "y", "og", "kft", "sro"};

bool is_noise(const std::string& w) { return std::find(kNoise.begin(), kNoise.end(), w) != kNoise.end(); }

}  // namespace

std::string normalize_name(std::string_view name) {
  // Fold to lower-case ASCII; dots and apostrophes vanish ("B.V." -> "bv"), other
  // punctuation separates words.
  std::string folded;
  folded.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {
      folded += fold_c3(static_cast<unsigned char>(name[++i]));
    } else if (c >= 0x80) {
      folded += ' ';
    } else if (std::isalnum(c)) {
      folded += static_cast<char>(std::tolower(c));
    } else if (c == '.' || c == '\'') {
      // dropped
    } else {
      folded += ' ';
    }
  }
  std::string out;
  for (const auto& w : name_words(folded)) {
    if (is_noise(w)) continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::vector<std::string> name_words(const std::string& normalized) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < normalized.size()) {
    while (i < normalized.size() && normalized[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < normalized.size() && normalized[i] != ' ') ++i;
    if (i > start) out.emplace_back(normalized.substr(start, i - start));
  }
  return out;
}

NameBigrams name_bigrams(const std::string& normalized) {
  // Bigrams of each word with its edges, sorted: word order does not matter, spelling does.
  NameBigrams out;
  for (const auto& w : name_words(normalized)) {
    const std::string padded = " " + w + " ";
    for (std::size_t i = 0; i + 1 < padded.size(); ++i) {
      out.push_back(static_cast<std::uint16_t>(static_cast<unsigned char>(padded[i]) << 8 | static_cast<unsigned char>(padded[i + 1])));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int bigram_similarity(const NameBigrams& x, const NameBigrams& y) {
  if (x.empty() || y.empty()) return 0;
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] == y[j]) {
      ++common;
      ++i;
      ++j;
    } else if (x[i] < y[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<int>(200 * common / (x.size() + y.size()));
}

int name_similarity(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 100;
  return bigram_similarity(name_bigrams(a), name_bigrams(b));
}

}  // namespace arcd::cashapp
