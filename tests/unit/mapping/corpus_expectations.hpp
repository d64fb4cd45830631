#pragma once
// Reads ../shared/corpus/EXPECTED.md: the [F] figures per file that the corpus tests check.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace arcd::test {

struct ExpectedBalance {
  std::string type;    // "OPBD", or the proprietary code ("015" for "Prtry:015")
  std::string amount;  // signed decimal as written
  std::string currency;
  std::string date;    // "YYYY-MM-DD" or "" ("@None")
};

struct ExpectedRecord {
  std::string id, account;
  std::vector<ExpectedBalance> balances;
  int entries = 0;
  int credits = 0, debits = 0;
  std::string credit_sum, debit_sum;  // decimals as written ("8.850", "0")
};

struct ExpectedFile {
  std::string format;  // "camt.053.001.02"
  int records = -1, entries = -1;
  std::vector<ExpectedRecord> records_detail;  // the ones spelled out
  bool reconciles_all = true;                  // no "-> MISMATCH" anywhere
  // MT940 / BAI2 summary line values
  int statements = -1, transactions = -1;
  int detail_credits = -1, detail_debits = -1;
  std::string detail_credit_sum, detail_debit_sum;
  std::string raw;  // the whole section, for messages
};

// Keyed by "<section>/<file name>", e.g. "camt053/ing_nl_v02_bank_example.xml".
std::map<std::string, ExpectedFile> read_expected(const std::filesystem::path& expected_md);

}  // namespace arcd::test
