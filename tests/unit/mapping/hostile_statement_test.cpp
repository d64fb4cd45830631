// Hostile and broken statement files: each gets a precise problem, never a crash, never an
// entity expansion, never a read outside the file.
#include <gtest/gtest.h>

#include "mapping/camt.hpp"
#include "mapping/statement_format.hpp"

using namespace arcd;

namespace {

const std::string kHead =
    "<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
    "<GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>\n";
const std::string kTail = "</Stmt></BkToCstmrStmt></Document>\n";

std::string entry(const std::string& amount, const std::string& indicator = "CRDT") {
  return "<Ntry><Amt Ccy=\"EUR\">" + amount + "</Amt><CdtDbtInd>" + indicator + "</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts></Ntry>\n";
}

Problem problem_of(const std::string& file, mapping::StatementParseOptions options = {}) {
  mapping::CollectingSink sink;
  auto r = mapping::parse_statement_file(file, "evil.xml", sink, options);
  EXPECT_FALSE(r) << "accepted:\n" << file.substr(0, 300);
  return r ? Problem{} : r.problem();
}

}  // namespace

TEST(HostileStatements, AValidBaseline) {
  mapping::CollectingSink sink;
  auto r = mapping::parse_statement_file(kHead + entry("1.00") + kTail, "ok.xml", sink);
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_EQ(r.value().entries, 1);
}

TEST(HostileStatements, BillionLaughsIsRefusedNotExpanded) {
  std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    doc += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) doc += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    doc += "\">\n";
  }
  doc += "]>\n" + kHead.substr(kHead.find("<Document")) + "<Ntry><Amt Ccy=\"EUR\">&lol9;</Amt></Ntry>" + kTail;
  const auto p = problem_of(doc);
  EXPECT_EQ(p.code, "XML_DOCTYPE");
  EXPECT_EQ(p.where, "evil.xml:2");
}

TEST(HostileStatements, ExternalEntitiesAreRefused) {
  const std::string doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n" +
                          kHead.substr(kHead.find("<Document")) + "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><AddtlNtryInf>&xxe;</AddtlNtryInf></Ntry>" + kTail;
  EXPECT_EQ(problem_of(doc).code, "XML_DOCTYPE");
}

TEST(HostileStatements, DeepNestingHasALimit) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  const auto p = problem_of(kHead + deep);
  EXPECT_EQ(p.code, "XML_TOO_DEEP");
  mapping::StatementParseOptions tight;
  tight.max_depth = 5;  // Document, BkToCstmrStmt, Stmt, x, y: z is one too deep
  EXPECT_EQ(problem_of(kHead + "<x><y><z><w>" + kTail, tight).code, "XML_TOO_DEEP");
}

TEST(HostileStatements, TruncatedFiles) {
  const std::string full = kHead + entry("1.00") + entry("2.00") + kTail;
  for (std::size_t cut : {full.size() / 3, full.size() / 2, full.size() - 10}) {
    const auto p = problem_of(full.substr(0, cut));
    EXPECT_TRUE(p.code == "XML_MALFORMED") << cut << ": " << p.to_string();
    EXPECT_FALSE(p.where.empty());
  }
}

TEST(HostileStatements, BinaryGarbage) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  EXPECT_EQ(problem_of(garbage).code, "STMT_UNKNOWN_FORMAT");
  EXPECT_EQ(problem_of("<" + garbage).code.substr(0, 4), "XML_");
  EXPECT_EQ(problem_of("").code, "STMT_UNKNOWN_FORMAT");
}

TEST(HostileStatements, WrongNamespaceOrMessage) {
  std::string wrong = kHead;
  wrong.replace(wrong.find("camt.053.001.08"), 15, "pain.001.001.09");
  EXPECT_EQ(problem_of(wrong + kTail).code, "CAMT_NAMESPACE");
  std::string mismatch = kHead;
  mismatch.replace(mismatch.find("camt.053"), 8, "camt.054");
  EXPECT_EQ(problem_of(mismatch + kTail).code, "CAMT_NAMESPACE");  // a 054 namespace with a statement body
}

TEST(HostileStatements, MoneyIsStrict) {
  auto p = problem_of(kHead + entry("1.00") + entry("10.005") + kTail);
  EXPECT_EQ(p.code, "CAMT_BAD_AMOUNT");
  EXPECT_EQ(p.where, "evil.xml:4 Stmt[1]/Ntry[2]/Amt");
  EXPECT_NE(p.what.find("significant digit"), std::string::npos);
  EXPECT_EQ(problem_of(kHead + entry("1,00") + kTail).code, "CAMT_BAD_AMOUNT");
  EXPECT_EQ(problem_of(kHead + entry("-5.00") + kTail).code, "CAMT_BAD_AMOUNT");
  EXPECT_EQ(problem_of(kHead + entry("5.00", "CRED") + kTail).code, "CAMT_BAD_INDICATOR");
  EXPECT_EQ(problem_of(kHead + "<Ntry><CdtDbtInd>CRDT</CdtDbtInd></Ntry>" + kTail).code, "CAMT_NO_AMOUNT");
  EXPECT_EQ(problem_of(kHead + "<Ntry><Amt Ccy=\"EURO\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>" + kTail).code, "CAMT_NO_CURRENCY");
}

TEST(HostileStatements, OversizedElementsHaveALimit) {
  mapping::StatementParseOptions tight;
  tight.max_element_bytes = 4096;
  const std::string big = "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><AddtlNtryInf>" + std::string(10000, 'x') +
                          "</AddtlNtryInf></Ntry>";
  EXPECT_EQ(problem_of(kHead + big + kTail, tight).code, "XML_TOO_LARGE");
}

TEST(HostileStatements, MismatchedTagsNameTheLine) {
  const auto p = problem_of(kHead + "<Ntry><Amt Ccy=\"EUR\">1.00</Amt>\n</Ntyr>" + kTail);
  EXPECT_EQ(p.code, "XML_MALFORMED");
  EXPECT_EQ(p.where, "evil.xml:4");  // the line of the wrong end tag
  EXPECT_NE(p.what.find("</Ntry>"), std::string::npos);
}
