#pragma once
// Cash application settings ([cashapp] in arcd.toml). Plain data; the config reader fills it.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace arcd::cashapp {

// A difference that may close an invoice instead of leaving it partly open. Both limits hold
// when both are set (0 = not set): at most `absolute` (major units of the invoice's currency,
// as a decimal string) and at most `percent` of the invoice amount.
struct Tolerance {
  std::string absolute = "0";
  std::string percent = "0";
};

struct MatchSettings {
  // Rules in the order they are tried; the first that yields an acceptable result wins.
  std::vector<std::string> rules = {"structured_reference", "invoice_number", "issued_reference", "payer_amount"};
  int auto_apply_threshold = 75;    // a result scoring this or more is applied without a person
  int max_invoices_per_payment = 5; // K: the largest set of invoices one payment may settle by amount alone
  int subset_search_limit = 50000;  // combinations tried per payment before giving up
  int name_similarity_percent = 85; // normalized payer names this similar identify a customer
  int min_number_length = 4;        // shorter invoice-number tokens are never evidence
  // Words payers put before an invoice number; ignored when matching numbers.
  std::vector<std::string> number_prefixes = {"RE", "RG", "RECHNUNG", "RECHNUNGSNR", "INV", "INVOICE", "FACTURE", "FACTUUR",
                                              "FAKTURA", "FATTURA", "FACTURA", "NR", "NO", "NUMBER", "REF", "BILL"};
  // Per entity (the invoice's source): a regular expression (ECMAScript, case-insensitive)
  // that finds invoice numbers in free text, for formats the generic scan misses.
  std::map<std::string, std::string> number_patterns;
  Tolerance bank_charges{"0", "0"};
  Tolerance small_difference{"0", "0"};
  // "USD/EUR" = "0.9234": one USD is worth 0.9234 EUR. Used when the bank gave no rate.
  std::map<std::string, std::string> rates;
  bool auto_apply_payer_amount = false;         // payer-and-amount alone may auto-apply, for everyone
  std::set<std::string> auto_apply_payer_amount_customers;  // ... or for these customers (external ids)
  int ptp_grace_days = 3;
  // Entries committed together by a run. Invoice and index pages a batch changes are written
  // once per commit: over 1M invoices, batches of 2000 spent 23 s in commits, of 20 000 15 s.
  // A batch holds the write lock for about a second.
  int batch_size = 20000;
};

}  // namespace arcd::cashapp
