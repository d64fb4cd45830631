// The camt splitter finds tags 64 bytes at a time: wherever a tag falls against those blocks
// (and against the end of the file), the pieces are the same, and a cut file is an error.
#include "mapping/xml_pieces.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace arcd;

namespace {

struct Recorder final : mapping::XmlPieceHandler {
  std::vector<std::string> entries;
  int records = 0;
  Result<bool> document(std::string_view, std::string_view) override { return true; }
  Result<bool> group_header(const mapping::XmlPiece&) override { return true; }
  Result<bool> record_begin(const mapping::XmlPiece&) override {
    ++records;
    return true;
  }
  Result<bool> entry(const mapping::XmlPiece& p) override {
    entries.emplace_back(p.xml);
    return true;
  }
  Result<bool> record_end() override { return true; }
};

const std::vector<std::string> kEntries = {
    "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><NtryDtls><TxDtls><RmtInf><Ustrd>a&lt;b</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>",
    "<Ntry><Amt Ccy='EUR'>2.00</Amt><!-- a <comment> --><AddtlNtryInf><![CDATA[x < y]]></AddtlNtryInf></Ntry>",
    "<Ntry><Amt Ccy=\"EUR\">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts/></Ntry>",
};

std::string document(std::size_t shift) {
  std::string d = "<?xml version=\"1.0\"?>" + std::string(shift, ' ') +
                  "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
                  "<GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S</Id>\n";
  for (const auto& e : kEntries) d += e + "\n";
  return d + "</Stmt></BkToCstmrStmt></Document>";
}

}  // namespace

TEST(XmlPieces, EveryTagIsFoundWhereverItFallsAgainstTheScansBlocks) {
  for (std::size_t shift = 0; shift <= 130; ++shift) {
    const std::string d = document(shift);
    Recorder r;
    auto ok = mapping::split_camt(d, "shifted.xml", 64, 1 << 20, r);
    ASSERT_TRUE(ok) << "shift " << shift << ": " << ok.problem().to_string();
    EXPECT_EQ(r.records, 1) << "shift " << shift;
    EXPECT_EQ(r.entries, kEntries) << "shift " << shift;
  }
}

TEST(XmlPieces, AFileCutAnywhereIsMalformedNeverRead) {
  const std::string whole = document(7);
  for (std::size_t cut = whole.find("<Ntry>") + 1; cut < whole.size() - 1; ++cut) {
    // A copy of exactly `cut` bytes: a read past it would be a read outside the file.
    const std::string part = whole.substr(0, cut);
    Recorder r;
    auto ok = mapping::split_camt(part, "cut.xml", 64, 1 << 20, r);
    ASSERT_FALSE(ok) << "accepted a file cut at byte " << cut;
    EXPECT_EQ(ok.problem().code, "XML_MALFORMED") << "cut at " << cut << ": " << ok.problem().to_string();
  }
}
