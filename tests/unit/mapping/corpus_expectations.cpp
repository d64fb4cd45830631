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
      ExpectedRecord r;
      r.id = m[1];
      r.account = m[2];
      r.entries = std::stoi(m[3]);
      r.credits = std::stoi(m[4]);
      r.credit_sum = m[5];
      r.debits = std::stoi(m[6]);
      r.debit_sum = m[7];
      // "balances: OPBD 18.15 EUR @2014-12-30, Prtry:015 0.00 CAD @2025-08-27; ..."
      static const std::regex bal(R"(((?:Prtry:)?[A-Z0-9]+) (-?[\d.]+) ([A-Z]{3}) @(\S+?)(?:,|;|$))");
      const auto at = line.find("balances: ");
      if (at != std::string::npos) {
        std::string list = line.substr(at + 10);
        list = list.substr(0, list.find(';'));
        for (std::sregex_iterator it(list.begin(), list.end(), bal), end; it != end; ++it) {
          std::string type = (*it)[1];
          if (type.starts_with("Prtry:")) type = type.substr(6);
          std::string date = (*it)[4];
          r.balances.push_back({type, (*it)[2], (*it)[3], date == "None" ? "" : date.substr(0, 10)});
        }
      }
      cur->records_detail.push_back(std::move(r));
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
