// Text encodings of bank files: UTF-8 with or without a BOM, ISO-8859-1, ISO-8859-15 and
// Windows-1252, in MT940, BAI2 and camt; a camt file's XML declaration; a source's configured
// encoding; and strict UTF-8 naming the line of a bad byte.
#include <gtest/gtest.h>

#include "mapping/bai2.hpp"
#include "mapping/camt.hpp"
#include "mapping/mt940.hpp"
#include "mapping/statement_format.hpp"
#include "mapping/text_encoding.hpp"

using namespace arcd;
using mapping::TextEncoding;

namespace {

// The characters as UTF-8, spelled out so the expectations do not depend on this file's encoding.
const std::string kEuro = "\xE2\x82\xAC", kCurrencySign = "\xC2\xA4", kSCaron = "\xC5\xA0", kAUmlaut = "\xC3\xA4",
                  kUUmlaut = "\xC3\xBC", kOe = "\xC5\x93", kZCaron = "\xC5\xBD";

mapping::StatementParseOptions with(TextEncoding e) {
  mapping::StatementParseOptions o;
  o.text_encoding = e;
  return o;
}

}  // namespace

TEST(TextEncoding, Utf8StaysAndItsByteOrderMarkGoes) {
  EXPECT_EQ(mapping::to_utf8("M" + kUUmlaut + "ller"), "M" + kUUmlaut + "ller");
  EXPECT_EQ(mapping::to_utf8("\xEF\xBB\xBF" "abc"), "abc");
  EXPECT_EQ(mapping::to_utf8(""), "");
}

TEST(TextEncoding, SingleByteCodePages) {
  // Automatic reads what is not UTF-8 as Windows-1252: ISO-8859-1 but for 0x80-0x9F.
  EXPECT_EQ(mapping::to_utf8("M\xFCller \x80 5 \xA4"), "M" + kUUmlaut + "ller " + kEuro + " 5 " + kCurrencySign);
  EXPECT_EQ(mapping::to_utf8("\x8A\x9C\x81", TextEncoding::windows_1252), kSCaron + kOe + "\xC2\x81");
  EXPECT_EQ(mapping::to_utf8("\xA4\x80\xE4", TextEncoding::iso_8859_1), kCurrencySign + "\xC2\x80" + kAUmlaut);
  EXPECT_EQ(mapping::to_utf8("\xA4\xA6\xA8\xB4\xB8\xBC\xBD\xBE\xE4", TextEncoding::iso_8859_15),
            kEuro + kSCaron + "\xC5\xA1" + kZCaron + "\xC5\xBE" + "\xC5\x92" + kOe + "\xC5\xB8" + kAUmlaut);
  // A named single-byte encoding reads every byte so, even where the bytes happen to be UTF-8.
  EXPECT_EQ(mapping::to_utf8(kAUmlaut, TextEncoding::iso_8859_1), "\xC3\x83\xC2\xA4");
  // Long runs of ASCII around the letters (read eight bytes at a time) come through whole.
  const std::string ascii(37, 'x');
  EXPECT_EQ(mapping::to_utf8(ascii + "\xE4" + ascii + "\xE4", TextEncoding::iso_8859_15), ascii + kAUmlaut + ascii + kAUmlaut);
}

TEST(TextEncoding, InvalidUtf8IsFoundWhereItIs) {
  EXPECT_FALSE(mapping::first_invalid_utf8("plain ascii, longer than eight bytes"));
  EXPECT_FALSE(mapping::first_invalid_utf8("\xF0\x9F\x98\x80 " + kEuro + kAUmlaut));
  EXPECT_EQ(mapping::first_invalid_utf8("0123456789 M\xFCller"), 12u);
  EXPECT_EQ(mapping::first_invalid_utf8("\xC0\x80"), 0u);              // overlong NUL
  EXPECT_EQ(mapping::first_invalid_utf8("ab\xE0\x80\x80"), 2u);        // overlong three-byte form
  EXPECT_EQ(mapping::first_invalid_utf8("\xED\xA0\x80"), 0u);          // a UTF-16 surrogate
  EXPECT_EQ(mapping::first_invalid_utf8("\xF4\x90\x80\x80"), 0u);      // beyond U+10FFFF
  EXPECT_EQ(mapping::first_invalid_utf8("abc\xC3"), 3u);               // cut short
  EXPECT_EQ(mapping::first_invalid_utf8("\x80"), 0u);                  // a stray continuation byte
}

TEST(TextEncoding, NamesAndAliases) {
  EXPECT_EQ(mapping::text_encoding_named("ISO-8859-15"), TextEncoding::iso_8859_15);
  EXPECT_EQ(mapping::text_encoding_named("latin9"), TextEncoding::iso_8859_15);
  EXPECT_EQ(mapping::text_encoding_named("iso_8859-1"), TextEncoding::iso_8859_1);
  EXPECT_EQ(mapping::text_encoding_named("UTF8"), TextEncoding::utf8);
  EXPECT_EQ(mapping::text_encoding_named("US-ASCII"), TextEncoding::utf8);
  EXPECT_EQ(mapping::text_encoding_named("Windows-1252"), TextEncoding::windows_1252);
  EXPECT_EQ(mapping::text_encoding_named("auto"), TextEncoding::automatic);
  EXPECT_FALSE(mapping::text_encoding_named("Shift_JIS"));
  for (auto e : {TextEncoding::automatic, TextEncoding::utf8, TextEncoding::iso_8859_1, TextEncoding::iso_8859_15,
                 TextEncoding::windows_1252}) {
    EXPECT_EQ(mapping::text_encoding_named(mapping::to_string(e)), e);
  }
}

namespace {

const std::string kMt940 =
    ":20:STARTUMS\n:25:10020030/1234567\n:28C:5/1\n:60F:C231101EUR1000,00\n"
    ":61:2311021102CR250,50NTRFNONREF//BANKREF77\n"
    ":86:166?00SEPA-GUTSCHRIFT?20EREF+E2E-4711?21SVWZ+Rechnung 42 \xA4 250,50?32\xA6KODA M\xDCLLER\n"
    ":62F:C231102EUR1250,50\n-\n";

mapping::ParsedStatement mt940(const std::string& file, TextEncoding e) {
  mapping::CollectingSink sink;
  auto r = mapping::parse_mt940(file, "de.sta", sink, with(e));
  EXPECT_TRUE(r) << r.problem().to_string();
  return r && sink.statements.size() == 1 ? sink.statements[0] : mapping::ParsedStatement{};
}

}  // namespace

TEST(TextEncoding, Mt940InIso885915) {
  const auto s = mt940(kMt940, TextEncoding::iso_8859_15);
  ASSERT_EQ(s.entries.size(), 1u);
  EXPECT_EQ(s.entries[0].remittance, "Rechnung 42 " + kEuro + " 250,50");
  EXPECT_EQ(s.entries[0].payer_name, kSCaron + "KODA M\xC3\x9CLLER");
  // Read automatically the same bytes are Windows-1252: the 0xA4 is a currency sign there.
  const auto automatic = mt940(kMt940, TextEncoding::automatic);
  ASSERT_EQ(automatic.entries.size(), 1u);
  EXPECT_EQ(automatic.entries[0].remittance, "Rechnung 42 " + kCurrencySign + " 250,50");
}

TEST(TextEncoding, Mt940StrictUtf8NamesTheLine) {
  mapping::CollectingSink sink;
  auto r = mapping::parse_mt940(kMt940, "de.sta", sink, with(TextEncoding::utf8));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem().code, "TEXT_ENCODING");
  EXPECT_EQ(r.problem().where, "de.sta:6");
  EXPECT_NE(r.problem().what.find("byte 62 of the line"), std::string::npos) << r.problem().what;
  // The same statement in UTF-8, with a byte order mark, passes.
  const std::string utf8 = "\xEF\xBB\xBF" + mapping::to_utf8(kMt940, TextEncoding::iso_8859_15);
  const auto s = mt940(utf8, TextEncoding::utf8);
  ASSERT_EQ(s.entries.size(), 1u);
  EXPECT_EQ(s.entries[0].remittance, "Rechnung 42 " + kEuro + " 250,50");
}

namespace {

std::string bai2_with_text(const std::string& text) {
  return "01,SENDER,RECEIVER,231031,1200,42,,,2/\n"
         "02,RECEIVER,BANK,1,231030,,EUR,2/\n"
         "03,DE89370400440532013000,,010,100000,,,015,150000,,/\n"
         "16,195,50000,V,231101,,BANKREF1,CUSTREF1," + text + "/\n"
         "49,300000,3/\n"
         "98,300000,1,5/\n"
         "99,300000,1,7/\n";
}

}  // namespace

TEST(TextEncoding, Bai2TextFields) {
  const std::string file = bai2_with_text("Zahlung M\xFCller \x80");
  for (auto [e, expected] : {std::pair{TextEncoding::automatic, "Zahlung M" + kUUmlaut + "ller " + kEuro},
                             std::pair{TextEncoding::iso_8859_1, "Zahlung M" + kUUmlaut + "ller \xC2\x80"}}) {
    mapping::CollectingSink sink;
    auto r = mapping::parse_bai2(file, "t.bai2", sink, with(e));
    ASSERT_TRUE(r) << r.problem().to_string();
    EXPECT_EQ(sink.statements.at(0).entries.at(0).remittance, expected) << mapping::to_string(e);
  }
  mapping::CollectingSink sink;
  auto r = mapping::parse_bai2(file, "t.bai2", sink, with(TextEncoding::utf8));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem().code, "TEXT_ENCODING");
  EXPECT_EQ(r.problem().where, "t.bai2:4");
  EXPECT_NE(r.problem().what.find("the text: byte 10 of it is not UTF-8"), std::string::npos) << r.problem().what;
}

namespace {

std::string camt(const std::string& declaration, const std::string& ustrd) {
  return declaration + "\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
                       "<GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id>"
                       "<Ccy>EUR</Ccy></Acct>\n"
                       "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
                       "<NtryDtls><TxDtls><RmtInf><Ustrd>" + ustrd + "</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
                       "</Stmt></BkToCstmrStmt></Document>\n";
}

struct CamtRead {
  std::string remittance;
  std::string warnings;
  std::optional<Problem> problem;
};

CamtRead read_camt(const std::string& file, TextEncoding e = TextEncoding::automatic) {
  mapping::CollectingSink sink;
  auto r = mapping::parse_statement_file(file, "c.xml", sink, with(e));
  if (!r) return {"", "", r.problem()};
  return {sink.statements.at(0).entries.at(0).remittance, sink.statements.at(0).statement.warnings, std::nullopt};
}

}  // namespace

TEST(TextEncoding, CamtFollowsItsXmlDeclaration) {
  const std::string text = "Rechnung \xA4 M\xFCller";
  auto r = read_camt(camt("<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>", text));
  EXPECT_EQ(r.remittance, "Rechnung " + kEuro + " M" + kUUmlaut + "ller");
  r = read_camt(camt("<?xml version='1.0' encoding='iso-8859-1'?>", text));
  EXPECT_EQ(r.remittance, "Rechnung " + kCurrencySign + " M" + kUUmlaut + "ller");
  EXPECT_TRUE(r.warnings.empty()) << r.warnings;
  // A source's encoding overrides the declaration: a bank that declares ISO-8859-1 and writes ISO-8859-15.
  r = read_camt(camt("<?xml version='1.0' encoding='iso-8859-1'?>", text), TextEncoding::iso_8859_15);
  EXPECT_EQ(r.remittance, "Rechnung " + kEuro + " M" + kUUmlaut + "ller");
  // UTF-8, declared or not, with a byte order mark.
  r = read_camt("\xEF\xBB\xBF" + camt("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "M" + kUUmlaut + "ller " + kEuro));
  EXPECT_EQ(r.remittance, "M" + kUUmlaut + "ller " + kEuro);
  r = read_camt(camt("<?xml version=\"1.0\"?>", "M" + kUUmlaut + "ller"));
  EXPECT_EQ(r.remittance, "M" + kUUmlaut + "ller");
}

TEST(TextEncoding, CamtDeclaredUtf8ButWrittenInACodePage) {
  const std::string file = camt("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "M\xFCller \x80");
  auto r = read_camt(file);
  ASSERT_FALSE(r.problem) << r.problem->to_string();
  EXPECT_EQ(r.remittance, "M" + kUUmlaut + "ller " + kEuro);
  EXPECT_NE(r.warnings.find("c.xml:3"), std::string::npos) << r.warnings;
  EXPECT_NE(r.warnings.find("not UTF-8 read as Windows-1252"), std::string::npos) << r.warnings;
  // A source that insists on UTF-8 refuses the file, naming the line and the byte.
  r = read_camt(file, TextEncoding::utf8);
  ASSERT_TRUE(r.problem);
  EXPECT_EQ(r.problem->code, "TEXT_ENCODING");
  EXPECT_EQ(r.problem->where, "c.xml:3");
  EXPECT_NE(r.problem->what.find("byte 0xFC"), std::string::npos) << r.problem->what;
}

TEST(TextEncoding, CamtInAnEncodingArcdDoesNotReadIsRefused) {
  auto r = read_camt(camt("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>", "x"));
  ASSERT_TRUE(r.problem);
  EXPECT_EQ(r.problem->code, "CAMT_ENCODING");
  EXPECT_EQ(r.problem->where, "c.xml:1");
  EXPECT_NE(r.problem->what.find("'Shift_JIS'"), std::string::npos) << r.problem->what;
  // UTF-16, with its byte order mark.
  std::string utf16 = "\xFF\xFE";
  for (char c : camt("<?xml version=\"1.0\" encoding=\"UTF-16\"?>", "x")) {
    utf16 += c;
    utf16 += '\0';
  }
  mapping::CollectingSink sink;
  auto p = mapping::parse_camt(utf16, "c16.xml", sink, {});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.problem().code, "CAMT_ENCODING");
  EXPECT_NE(p.problem().what.find("UTF-16"), std::string::npos);
}
