// Bank statements through the running daemon: upload over HTTP, the inbox folder, and kill -9
// in the middle of an import.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "process_util.hpp"
#include "statement_writers.hpp"
#include "test_sshd.hpp"
#include "test_support.hpp"

using namespace arcd;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// A daemon with an inbox statement source "bank" at <dir>/stmt-in.
struct Daemon : test::RunningDaemon {
  std::string db = sqlite_url();
  Daemon() {
    test::write_file(config, "[database]\nurl = \"" + db + "\"\n[http]\nport = 0\nbody_limit_bytes = 50000000\n" +
                                 "[statements.bank]\ntype = \"inbox\"\ninbox = \"" + (dir / "stmt-in").string() + "\"\narchive = \"" +
                                 (dir / "stmt-archive").string() + "\"\nquarantine = \"" + (dir / "stmt-quarantine").string() +
                                 "\"\npoll_seconds = 1\njitter_seconds = 0\nstable_seconds = 0\n");
  }
};

int stored_entries(const std::string& db) {
  auto r = test::run({ARCCTL_BIN, "--database", db, "entries", "list", "--format", "json", "--limit", "1000000"});
  if (r.code != 0) throw std::runtime_error(r.output);
  return static_cast<int>(json::parse(r.output).as_array().size());
}

}  // namespace

TEST(StatementsE2E, UploadOverHttp) {
  Daemon d;
  d.start();
  const auto bytes = test::read_file(test::shared_dir() / "corpus/camt053/fi_finance_finland_v02_sample.xml");
  auto first = test::http_post(d.port, "/api/v1/statements?name=fi.xml", bytes);
  ASSERT_EQ(first.status, 201) << first.body;
  auto report = json::parse(first.body).as_object();
  EXPECT_EQ(report.at("format").as_string(), "camt.053.001.02");
  EXPECT_EQ(report.at("statements").as_int64(), 1);
  EXPECT_GT(report.at("entries_new").as_int64(), 0);

  auto again = test::http_post(d.port, "/api/v1/statements?name=fi-again.xml", bytes);
  EXPECT_EQ(again.status, 200);
  EXPECT_TRUE(json::parse(again.body).as_object().at("already_imported").as_bool());

  auto bad = test::http_post(d.port, "/api/v1/statements?name=bad.xml",
                             test::read_file(test::shared_dir() / "corpus/camt053/malformed_bmo_v02_broken_tag.xml"));
  EXPECT_EQ(bad.status, 422);
  auto problem = json::parse(bad.body).as_object();
  EXPECT_EQ(problem.at("code").as_string(), "XML_MALFORMED");
  EXPECT_EQ(problem.at("where").as_string(), "bad.xml:993");
  EXPECT_TRUE(d.process->wait_for_log("STMT_UPLOAD_REJECTED", 5s));
  EXPECT_EQ(test::http_post(d.port, "/api/v1/statements?source=nope", bytes).status, 400);
  EXPECT_EQ(test::http_post(d.port, "/api/v1/statements", "").status, 400);

  auto list = test::http_get(d.port, "/api/v1/statements");
  ASSERT_EQ(list.status, 200);
  auto items = json::parse(list.body).as_object().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const auto id = items[0].as_object().at("id").as_int64();
  auto entries = test::http_get(d.port, "/api/v1/statements/" + std::to_string(id) + "/entries?limit=3");
  ASSERT_EQ(entries.status, 200);
  EXPECT_EQ(json::parse(entries.body).as_object().at("items").as_array().size(), 3u);
  EXPECT_EQ(test::http_get(d.port, "/api/v1/statements/999/entries").status, 404);
  EXPECT_EQ(test::http_get(d.port, "/api/v1/statements?limit=0").status, 400);
  d.stop();
  // The file is kept as received: arcctl gives it back byte for byte.
  const std::string sha(items[0].as_object().at("file_sha256").as_string());
  const auto back = d.dir / "back.xml";
  auto raw = test::run({ARCCTL_BIN, "--database", d.db, "statements", "raw", sha, "--out", back.string()});
  ASSERT_EQ(raw.code, 0) << raw.output;
  EXPECT_TRUE(test::read_file(back) == bytes);
  EXPECT_EQ(test::run({ARCCTL_BIN, "--database", d.db, "statements", "raw", sha}).output.substr(0, 200), bytes.substr(0, 200));
  const auto unknown = test::run({ARCCTL_BIN, "--database", d.db, "statements", "raw", "0000"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.output.find("RAW_FILE_NOT_FOUND"), std::string::npos) << unknown.output;
}

// A file in ISO-8859-15 read as such when the upload or the command line says so (automatic
// reading takes such bytes for Windows-1252, where 0xA4 is a currency sign, not the euro).
TEST(StatementsE2E, TheEncodingOfAnUploadOrImport) {
  Daemon d;
  d.start();
  auto mt940 = [](const std::string& account) {
    return ":20:L9\n:25:" + account + "\n:28C:1\n:60F:C231101EUR100,00\n:61:2311021102CR5,00NTRFNONREF//R1\n"
           ":86:166?20EREF+E2E-1?21SVWZ+Rechnung 7 \xA4 5?32\xA6KODA\n:62F:C231102EUR105,00\n-\n";
  };
  const std::string euro = "\xE2\x82\xAC", s_caron = "\xC5\xA0";
  auto uploaded = test::http_post(d.port, "/api/v1/statements?name=l9.sta&encoding=iso-8859-15", mt940("DE89370400440532013000"));
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  auto bad = test::http_post(d.port, "/api/v1/statements?name=x.sta&encoding=ebcdic", mt940("DE02120300000000202051"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body).as_object().at("code").as_string(), "bad_encoding");
  d.stop();
  const auto file = d.dir / "l9b.sta";
  test::write_file(file, mt940("DE02120300000000202051"));
  auto wrong = test::run({ARCCTL_BIN, "--database", d.db, "statements", "import", file.string(), "--encoding", "ebcdic"});
  EXPECT_EQ(wrong.code, 2) << wrong.output;
  EXPECT_NE(wrong.output.find("iso-8859-15"), std::string::npos) << wrong.output;
  auto imported = test::run({ARCCTL_BIN, "--database", d.db, "statements", "import", file.string(), "--encoding", "latin9"});
  ASSERT_EQ(imported.code, 0) << imported.output;
  auto list = test::run({ARCCTL_BIN, "--database", d.db, "entries", "list", "--format", "json"});
  ASSERT_EQ(list.code, 0) << list.output;
  const auto entries = json::parse(list.output).as_array();
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& e : entries) {
    EXPECT_EQ(e.as_object().at("remittance").as_string(), "Rechnung 7 " + euro + " 5");
    EXPECT_EQ(e.as_object().at("payer_name").as_string(), s_caron + "KODA");
  }
}

TEST(StatementsE2E, InboxImportsAndQuarantines) {
  Daemon d;
  d.start();
  test::deliver_file(d.dir / "stmt-in" / "de.sta", test::read_file(test::shared_dir() / "corpus/mt940/cmxl_de_multi_statement_structured_86.sta"));
  test::deliver_file(d.dir / "stmt-in" / "bad.bai2", test::read_file(test::shared_dir() / "corpus/bai2/malformed_vh_invalid_control_total.bai2"));
  ASSERT_TRUE(d.process->wait_for_log("STMT_FILE_IMPORTED", 15s)) << d.process->log();
  ASSERT_TRUE(d.process->wait_for_log("STMT_FILE_REJECTED", 15s)) << d.process->log();
  const auto reason = test::read_file(d.dir / "stmt-quarantine" / "bad.bai2.error.txt");
  EXPECT_NE(reason.find("BAI2_CONTROL_TOTAL"), std::string::npos) << reason;
  d.stop();
  EXPECT_EQ(stored_entries(d.db), 16);
}

TEST(StatementsE2E, Kill9DuringImportThenRestart) {
  Daemon d;
  std::mt19937_64 rng(99);
  const auto g = test::random_statement(rng, 30000, 2, Currency::of("EUR"));
  std::ostringstream camt;
  test::write_camt053(camt, g);
  const auto file = d.dir / "big.xml";
  test::write_file(file, camt.str());
  ASSERT_EQ(test::run({ARCCTL_BIN, "--database", d.db, "db", "migrate"}).code, 0);
  int expected = 0;
  for (const auto& ge : g.entries) expected += static_cast<int>(ge.details.size());
  // Killed sooner and sooner... later and later: the first kill that leaves nothing stored is
  // the one the restart has to finish. Whenever it comes, the statement is all there or not at
  // all (a kill between the commit and the exit leaves all of it: also whole).
  bool killed_before_commit = false;
  for (const int ms : {60, 150, 300, 500}) {
    test::Process p({ARCCTL_BIN, "--database", d.db, "statements", "import", file.string()}, {}, d.dir / "import.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    p.signal(SIGKILL);
    auto code = p.wait(10s);
    ASSERT_TRUE(code);
    const int n = stored_entries(d.db);
    EXPECT_TRUE(n == 0 || n == expected) << "after kill -9 at " << ms << " ms the statement is half there: " << n << " entries";
    if (*code == 0) {
      EXPECT_EQ(n, expected) << "the import said it finished";
    }
    if (n == expected) return;  // committed before the kill: nothing left to prove on this machine
    if (*code == 128 + SIGKILL) {
      killed_before_commit = true;
      break;
    }
  }
  ASSERT_TRUE(killed_before_commit) << "no kill landed before the commit";
  // The daemon starts on the database the kill left behind and the import completes.
  d.start();
  auto r = test::http_post(d.port, "/api/v1/statements?name=big.xml", camt.str());
  EXPECT_EQ(r.status, 201) << r.body;
  d.stop();
  auto listed = test::run({ARCCTL_BIN, "--database", d.db, "statements", "list", "--format", "json"});
  EXPECT_EQ(json::parse(listed.output).as_array().size(), 1u);
  EXPECT_EQ(json::parse(r.body).as_object().at("entries_new").as_int64(), expected);
}

TEST(StatementsE2E, SftpSourceFetchesAndImports) {
  test::TestSshd sshd;
  Daemon d;
  std::filesystem::copy_file(test::shared_dir() / "corpus/camt053/nordea_fi_v02_rf_reference.xml", sshd.remote_dir() / "nordea.xml");
  test::write_file(d.config, "[database]\nurl = \"" + d.db + "\"\n[http]\nport = 0\n[statements.sftp-bank]\ntype = \"sftp\"\n" +
                                 "inbox = \"" + (d.dir / "in").string() + "\"\narchive = \"" + (d.dir / "archive").string() +
                                 "\"\nquarantine = \"" + (d.dir / "quarantine").string() + "\"\npoll_seconds = 1\njitter_seconds = 0\n" +
                                 "stable_seconds = 0\nhost = \"127.0.0.1\"\nport = " + std::to_string(sshd.port()) + "\nuser = \"" +
                                 sshd.user() + "\"\nremote_dir = \"" + sshd.remote_dir().string() + "\"\nprivate_key = \"" +
                                 sshd.user_key().string() + "\"\npublic_key = \"" + sshd.user_public_key().string() +
                                 "\"\nknown_hosts = \"" + sshd.known_hosts().string() + "\"\n");
  d.start();
  ASSERT_TRUE(d.process->wait_for_log("STMT_SFTP_FETCHED", 15s)) << d.process->log();
  ASSERT_TRUE(d.process->wait_for_log("STMT_FILE_IMPORTED", 15s)) << d.process->log();
  EXPECT_FALSE(std::filesystem::exists(sshd.remote_dir() / "nordea.xml"));
  d.stop();
  EXPECT_GT(stored_entries(d.db), 0);
}
