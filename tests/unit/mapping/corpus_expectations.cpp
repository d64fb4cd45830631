#include "corpus_expectations.hpp"

#include <fstream>
#include <regex>
#include <sstream>

namespace arcd::test {

std::map<std::string, ExpectedFile> read_expected(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::map<std::string, ExpectedFile> out;
  ExpectedFile* cur = nullptr;
  std::string section;  // "camt053": the same file name appears under two formats
  static const std::regex head(R"(^### (\S+))");
  static const std::regex camt(R"(^- \[F\] (camt\.\d{3}\.\d{3}\.\d{2}), root <\w+>, records (\d+), entries (\d+))");
  static const std::regex rec(R"(^  - rec \d+ id (.*) acct (\S*): entries (\d+) \(TxDtls \d+\), credits (\d+) = ([-\d.]+), debits (\d+) = ([-\d.]+))");
  static const std::regex mt(R"(^- \[F\] statements (\d+), :61: transactions (\d+), credits (\d+) = ([-\d.]+), debits (\d+) = ([-\d.]+))");
  static const std::regex bai(R"(16 records (\d+); detail credits (\d+) = (\d+), detail debits (\d+) = (\d+))");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (line.starts_with("## ")) {
      section = line.substr(3);
      cur = nullptr;
      continue;
    }
    if (std::regex_search(line, m, head)) {
      cur = &out[section + "/" + std::string(m[1])];
      continue;
    }
    if (!cur) continue;
    cur->raw += line + "\n";
    if (line.find("MISMATCH") != std::string::npos) cur->reconciles_all = false;
    if (std::regex_search(line, m, camt)) {
      cur->format = m[1];
      cur->records = std::stoi(m[2]);
      cur->entries = std::stoi(m[3]);
    } else if (std::regex_search(line, m, rec)) {
      cur->records_detail.push_back({m[1], m[2], std::stoi(m[3]), std::stoi(m[4]), std::stoi(m[6]), m[5], m[7]});
    } else if (std::regex_search(line, m, mt)) {
      cur->statements = std::stoi(m[1]);
      cur->transactions = std::stoi(m[2]);
      cur->detail_credits = std::stoi(m[3]);
      cur->detail_credit_sum = m[4];
      cur->detail_debits = std::stoi(m[5]);
      cur->detail_debit_sum = m[6];
    } else if (std::regex_search(line, m, bai) && line.starts_with("- [F] header")) {
      cur->transactions = std::stoi(m[1]);
      cur->detail_credits = std::stoi(m[2]);
      cur->detail_credit_sum = m[3];
      cur->detail_debits = std::stoi(m[4]);
      cur->detail_debit_sum = m[5];
    }
  }
  return out;
}

}  // namespace arcd::test
