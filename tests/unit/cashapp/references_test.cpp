#include <gtest/gtest.h>

#include "cashapp/names.hpp"
#include "cashapp/number_keys.hpp"
#include "cashapp/references.hpp"

using namespace arcd::cashapp;

TEST(RfReference, CheckDigitsDecide) {
  EXPECT_TRUE(is_valid_rf("RF18539007547034"));        // the example of ISO 11649
  EXPECT_TRUE(is_valid_rf("RF712348231"));
  EXPECT_FALSE(is_valid_rf("RF19539007547034"));       // one check digit off
  EXPECT_FALSE(is_valid_rf("RF18539007547035"));       // one reference digit off
  EXPECT_FALSE(is_valid_rf("RF18"));
  EXPECT_FALSE(is_valid_rf("RF18ABCDEFGHIJKLMNOPQRSTUVW"));  // longer than 25
  EXPECT_EQ(compact_reference("rf18 5390 0754-7034"), "RF18539007547034");
}

TEST(RfReference, FoundInFreeTextAsPayersPrintThem) {
  EXPECT_EQ(find_rf_references("Zahlung RF18 5390 0754 7034 danke"), std::vector<std::string>{"RF18539007547034"});
  EXPECT_EQ(find_rf_references("ref:rf18539007547034/x"), std::vector<std::string>{"RF18539007547034"});
  // A reference that fails its check is evidence of nothing.
  EXPECT_TRUE(find_rf_references("RF19 5390 0754 7034").empty());
  // Two references in one payment.
  EXPECT_EQ(find_rf_references("RF18539007547034 and RF712348231").size(), 2u);
}

TEST(DigitRuns, NationalReferencesWithSeparators) {
  const auto runs = find_digit_runs("+++090/9337/55493+++ amount 12.50", 10);
  EXPECT_NE(std::find(runs.begin(), runs.end(), "090933755493"), runs.end());
}

TEST(Names, LegalFormsPunctuationAccentsAndCase) {
  EXPECT_EQ(normalize_name("Müller & Söhne GmbH & Co. KG"), "mueller soehne");
  EXPECT_EQ(normalize_name("MUELLER + SOEHNE KG"), "mueller soehne");
  EXPECT_EQ(normalize_name("Kestrel Engineering B.V."), "kestrel engineering");
  EXPECT_EQ(normalize_name("Société Générale S.A."), "societe generale");
  EXPECT_EQ(name_similarity("mueller soehne", "mueller soehne"), 100);
  EXPECT_GE(name_similarity("kestrel engineering", "kestrel enginering"), 85);  // a dropped letter
  EXPECT_GE(name_similarity("soehne mueller", "mueller soehne"), 95);           // word order
  EXPECT_LT(name_similarity("kestrel engineering", "falcon engineering"), 85);  // another company
}

namespace {
const std::vector<std::string> kPrefixes = {"RE", "INV", "RECHNUNG", "NR"};
bool text_names(const std::string& text, const std::string& number) {
  const auto keys = text_number_keys(text, kPrefixes, 4);
  for (const auto& k : invoice_number_keys(number, kPrefixes, 4)) {
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) return true;
  }
  return false;
}
}  // namespace

TEST(InvoiceNumbers, FoundHoweverPayersMangleThem) {
  const std::string n = "INV-2024-00123";
  EXPECT_TRUE(text_names("Payment INV-2024-00123", n));      // as issued
  EXPECT_TRUE(text_names("inv 2024/123 thanks", n));         // lower case, changed separator, zeros dropped
  EXPECT_TRUE(text_names("RE 202400123", n));                // separators missing, another prefix
  EXPECT_TRUE(text_names("Rechnung INV-2024-00\n123", n));   // broken over a line
  EXPECT_TRUE(text_names("INV2024-123", n));                 // glued prefix
  EXPECT_TRUE(text_names("Rechnungsnr. 2024 00123", n));
  EXPECT_FALSE(text_names("INV-2024-00124", n));             // another invoice
  EXPECT_FALSE(text_names("2024", n));                       // a year is not this invoice
}

TEST(InvoiceNumbers, ShortTokensAreNotEvidence) {
  EXPECT_TRUE(invoice_number_keys("12", kPrefixes, 4).empty());
  EXPECT_TRUE(text_number_keys("paid 12 and 7", kPrefixes, 4).empty());
}
