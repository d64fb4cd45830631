#pragma once
// Writers for camt.053.001.08, BAI2 and MT940 files from statements, and a generator of random
// statements like real SEPA credit transfers. For property tests (write, parse, compare) and
// the benchmarks. Test code only.

#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "arcd/model.hpp"

namespace arcd::test {

struct GeneratedEntry {
  Entry entry;                         // the booked entry (amount = total of its details)
  std::vector<Entry> details;          // one or more transactions
};

struct GeneratedStatement {
  Statement statement;
  Money opening = Money::zero(Currency::of("EUR"));
  Money closing = Money::zero(Currency::of("EUR"));
  std::vector<GeneratedEntry> entries;
};

// `entries` booked entries, each with 1..max_details transactions; names and remittance carry
// XML-special and non-ASCII characters.
GeneratedStatement random_statement(std::mt19937_64& rng, int entries, int max_details, Currency currency);

void write_camt053(std::ostream& out, const GeneratedStatement& s);
// BAI2 keeps one transaction per 16 record (BAI2 has no batches); text over 60 characters
// continues in 88 records.
void write_bai2(std::ostream& out, const GeneratedStatement& s);
void write_mt940(std::ostream& out, const GeneratedStatement& s);

}  // namespace arcd::test
