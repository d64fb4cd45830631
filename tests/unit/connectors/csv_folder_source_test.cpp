#include <gtest/gtest.h>

#include <fstream>

#include "connectors/csv_folder_source.hpp"
#include "test_support.hpp"

using namespace arcd;
namespace fs = std::filesystem;

namespace {

const std::string kGood =
    "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date\n"
    "INV-1,C1,Acme,EUR,10.00,10.00,2026-10-01,2026-10-31\n";

struct Fixture {
  test::TempDir dir;
  connectors::CsvFolderOptions options() {
    connectors::CsvFolderOptions o;
    o.inbox = dir / "inbox";
    o.processing = dir / "processing";
    o.archive = dir / "archive";
    o.quarantine = dir / "quarantine";
    o.stable_for = std::chrono::seconds(5);
    return o;
  }
};

Instant later() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::hours(1); }
Instant now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

}  // namespace

TEST(CsvFolderSource, ImportsAndArchivesByDate) {
  Fixture f;
  connectors::CsvFolderSource src(f.options());
  test::write_file(f.dir / "inbox" / "a.csv", kGood);
  int imported_records = 0;
  auto out = src.poll([&](const InvoiceBatch& b) -> Result<std::string> {
    imported_records += static_cast<int>(b.records.size());
    EXPECT_EQ(b.origin, "a.csv");
    return std::string("ok");
  }, later());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].imported);
  EXPECT_EQ(imported_records, 1);
  EXPECT_TRUE(fs::exists(f.dir / "archive" / utc_date(later()).to_string() / "a.csv"));
  EXPECT_TRUE(fs::is_empty(f.dir / "inbox"));
  EXPECT_TRUE(fs::is_empty(f.dir / "processing"));
}

TEST(CsvFolderSource, WaitsForAFileStillBeingWrittenUnlessMarkedDone) {
  Fixture f;
  connectors::CsvFolderSource src(f.options());
  test::write_file(f.dir / "inbox" / "fresh.csv", kGood);
  auto import = [](const InvoiceBatch&) -> Result<std::string> { return std::string("ok"); };
  EXPECT_TRUE(src.poll(import, now()).empty());  // modified just now: not stable yet
  EXPECT_TRUE(fs::exists(f.dir / "inbox" / "fresh.csv"));
  test::write_file(f.dir / "inbox" / "fresh.csv.done", "");
  auto out = src.poll(import, now());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].imported);
  EXPECT_FALSE(fs::exists(f.dir / "inbox" / "fresh.csv.done"));
}

TEST(CsvFolderSource, QuarantinesABadFileWithTheReasonBesideIt) {
  Fixture f;
  connectors::CsvFolderSource src(f.options());
  test::write_file(f.dir / "inbox" / "bad.csv", kGood + "INV-2,C1,Acme,EUR,1.001,1,2026-10-01,2026-10-31\n");
  bool called = false;
  auto out = src.poll([&](const InvoiceBatch&) -> Result<std::string> {
    called = true;
    return std::string("ok");
  }, later());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].imported);
  EXPECT_FALSE(called);  // all or nothing: nothing of the file reached the importer
  EXPECT_TRUE(fs::exists(f.dir / "quarantine" / "bad.csv"));
  const auto reason = test::read_file(f.dir / "quarantine" / "bad.csv.error.txt");
  EXPECT_NE(reason.find("CSV_BAD_AMOUNT"), std::string::npos) << reason;
  EXPECT_NE(reason.find("bad.csv:3 column amount_total"), std::string::npos) << reason;
}

TEST(CsvFolderSource, ImporterRefusalQuarantinesAndStoreFailureRetries) {
  Fixture f;
  connectors::CsvFolderSource src(f.options());
  test::write_file(f.dir / "inbox" / "a.csv", kGood);
  EXPECT_THROW(src.poll([](const InvoiceBatch&) -> Result<std::string> { throw Error("DB_QUERY", "database down"); }, later()),
               Error);
  EXPECT_TRUE(fs::exists(f.dir / "processing" / "a.csv"));  // kept for the next poll
  auto out = src.poll([](const InvoiceBatch&) -> Result<std::string> { return std::string("ok"); }, later());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].imported);

  test::write_file(f.dir / "inbox" / "b.csv", kGood);
  out = src.poll([](const InvoiceBatch&) -> Result<std::string> { return Problem{"X_REFUSED", "b.csv", "no"}; }, later());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].imported);
  EXPECT_TRUE(fs::exists(f.dir / "quarantine" / "b.csv.error.txt"));
}

TEST(CsvFolderSource, OversizedFileIsQuarantined) {
  Fixture f;
  auto o = f.options();
  o.max_file_bytes = 10;
  connectors::CsvFolderSource src(o);
  test::write_file(f.dir / "inbox" / "big.csv", kGood);
  auto out = src.poll([](const InvoiceBatch&) -> Result<std::string> { return std::string("ok"); }, later());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(test::read_file(f.dir / "quarantine" / "big.csv.error.txt").find("FILE_TOO_LARGE"), std::string::npos);
}

TEST(CsvFolderSource, SameNameTwiceDoesNotOverwriteTheArchive) {
  Fixture f;
  connectors::CsvFolderSource src(f.options());
  auto ok = [](const InvoiceBatch&) -> Result<std::string> { return std::string("ok"); };
  test::write_file(f.dir / "inbox" / "a.csv", kGood);
  src.poll(ok, later());
  test::write_file(f.dir / "inbox" / "a.csv", kGood);
  src.poll(ok, later());
  const auto day = f.dir / "archive" / utc_date(later()).to_string();
  EXPECT_TRUE(fs::exists(day / "a.csv"));
  EXPECT_TRUE(fs::exists(day / "a.1.csv"));
}

TEST(FolderInbox, ATwoGigabyteFileIsQuarantinedUnread) {
  Fixture f;
  connectors::FolderInbox inbox({f.dir / "inbox", f.dir / "processing", f.dir / "archive", f.dir / "quarantine",
                                 std::chrono::seconds(0), std::size_t(2) << 30});
  fs::create_directories(f.dir / "inbox");
  {
    std::ofstream out(f.dir / "inbox" / "huge.xml");
  }
  fs::resize_file(f.dir / "inbox" / "huge.xml", (std::uintmax_t(2) << 30) + 1);  // sparse: no disk used
  bool called = false;
  auto out = inbox.poll([&](const std::string&, connectors::MappedFile&) -> Result<std::string> {
    called = true;
    return std::string("ok");
  }, later());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(called);
  EXPECT_NE(out[0].message.find("FILE_TOO_LARGE"), std::string::npos) << out[0].message;
  EXPECT_TRUE(fs::exists(f.dir / "quarantine" / "huge.xml.error.txt"));
}
