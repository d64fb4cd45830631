// kill -9 in the middle of an invoice import, then restart: the invoices are all there or none,
// and importing again completes the work.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "process_util.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace std::chrono_literals;

namespace {

constexpr int kRows = 20000;

std::filesystem::path make_csv(const test::TempDir& dir) {
  const auto path = dir / "big.csv";
  std::ofstream out(path);
  out << "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date\n";
  for (int i = 0; i < kRows; ++i) {
    out << "INV-" << i << ",C" << i % 500 << ",Customer " << i % 500 << ",EUR," << (i + 1) << ".25," << (i + 1)
        << ".25,2026-10-01,2026-10-31\n";
  }
  return path;
}

int invoice_count(const std::string& db_url) {
  auto r = test::run({ARCCTL_BIN, "--database", db_url, "invoices", "list", "--limit", "1000000", "--format", "csv"});
  if (r.code != 0) throw std::runtime_error(r.output);
  int lines = 0;
  for (char c : r.output) lines += c == '\n';
  return lines - 1;  // header
}

class CrashImport : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(CrashImport, Kill9DuringArcctlImportIsAllOrNothing) {
  test::TestDatabase db(GetParam());
  test::TempDir dir;
  const auto csv = make_csv(dir);
  ASSERT_EQ(test::run({ARCCTL_BIN, "--database", db.url(), "db", "migrate"}).code, 0);

  int killed_midway = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    test::Process p({ARCCTL_BIN, "--database", db.url(), "invoices", "import", csv.string()}, {}, dir / "import.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + 200 * attempt));
    p.signal(SIGKILL);
    const auto code = p.wait(10s);
    ASSERT_TRUE(code);
    if (*code == 128 + SIGKILL) ++killed_midway;
    const int n = invoice_count(db.url());
    EXPECT_TRUE(n == 0 || n == kRows) << "after kill -9: " << n << " invoices";
    if (n == kRows) break;
  }
  EXPECT_GT(killed_midway, 0) << "the import always finished before the kill; the test proved nothing";
  auto again = test::run({ARCCTL_BIN, "--database", db.url(), "invoices", "import", csv.string()});
  EXPECT_EQ(again.code, 0) << again.output;
  EXPECT_EQ(invoice_count(db.url()), kRows);
}

TEST_P(CrashImport, Kill9DuringDaemonFolderImportResumesOnRestart) {
  // The kill must land while the file is claimed. On a loaded machine the import may be done
  // and archived before the test looks again: then the whole try starts over on a fresh
  // database, up to three times.
  for (int attempt = 1;; ++attempt) {
    test::TestDatabase db(GetParam());
    test::TempDir dir;
    const auto csv = make_csv(dir);
    const std::string config = "[database]\nurl = \"" + db.url() + "\"\n[http]\nport = 0\n[connectors.files]\ntype = \"csv\"\n" +
                               "inbox = \"" + (dir / "inbox").string() + "\"\narchive = \"" + (dir / "archive").string() +
                               "\"\nquarantine = \"" + (dir / "quarantine").string() +
                               "\"\npoll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n";
    test::write_file(dir / "arcd.toml", config);
    bool claimed = false;
    {
      test::NotifySocket notify(dir / "notify");
      test::Process d({ARCD_BIN, "--config", (dir / "arcd.toml").string()}, {notify.env()}, dir / "arcd1.log");
      ASSERT_TRUE(notify.wait_for("READY=1", 30s)) << d.log();
      std::filesystem::copy_file(csv, dir / "inbox" / "big.csv");
      // Kill as soon as the file is claimed, i.e. while its import runs.
      auto archived = [&] { return std::filesystem::exists(dir / "archive") && !std::filesystem::is_empty(dir / "archive"); };
      const auto end = std::chrono::steady_clock::now() + 20s;
      while (!(claimed = std::filesystem::exists(dir / "inbox.processing" / "big.csv")) && !archived() &&
             std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(1ms);
      d.signal(SIGKILL);
      d.wait(10s);
      ASSERT_TRUE(claimed || archived()) << "the file was never claimed: " << d.log();
    }
    const int after_crash = invoice_count(db.url());
    EXPECT_TRUE(after_crash == 0 || after_crash == kRows) << after_crash;
    if (!claimed || std::filesystem::is_empty(dir / "inbox.processing")) {
      ASSERT_LT(attempt, 3) << "the import was done before every kill; the test proved nothing";
      continue;
    }

    test::NotifySocket notify(dir / "notify");
    test::Process d({ARCD_BIN, "--config", (dir / "arcd.toml").string()}, {notify.env()}, dir / "arcd2.log");
    ASSERT_TRUE(notify.wait_for("READY=1", 30s)) << d.log();
    ASSERT_TRUE(d.wait_for_log("CSV_FILE_IMPORTED", 60s)) << d.log();
    EXPECT_EQ(invoice_count(db.url()), kRows);
    EXPECT_TRUE(std::filesystem::is_empty(dir / "inbox.processing"));
    d.signal(SIGTERM);
    EXPECT_EQ(d.wait(5s), 0) << d.log();
    return;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashImport, ::testing::ValuesIn(test::store_backends()),
                         [](const auto& param_info) { return param_info.param; });
