// The SFTP statement fetcher against a real OpenSSH sshd on loopback.
#include <gtest/gtest.h>

#include "connectors/folder_inbox.hpp"
#include "connectors/sftp_fetcher.hpp"
#include "statements/statement_import.hpp"
#include "sftp_client.hpp"

using namespace arcd;
namespace fs = std::filesystem;

TEST(SftpFetch, DownloadsIntoTheInboxAndDeletesRemotely) {
  test::TestSshd sshd;
  test::TempDir local;
  fs::create_directories(local / "inbox");
  test::write_file(sshd.remote_dir() / "a.xml", "<one/>");
  test::write_file(sshd.remote_dir() / "b.sta", ":20:X\n");
  test::write_file(sshd.remote_dir() / "c.xml.part", "still uploading");
  connectors::SftpFetcher fetcher(test::sftp_options_for(sshd));
  auto r = fetcher.fetch_into(local / "inbox");
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_EQ(r.value().fetched.size(), 2u);
  EXPECT_EQ(test::read_file(local / "inbox" / "a.xml"), "<one/>");
  EXPECT_EQ(test::read_file(local / "inbox" / "b.sta"), ":20:X\n");
  EXPECT_FALSE(fs::exists(sshd.remote_dir() / "a.xml"));
  EXPECT_FALSE(fs::exists(sshd.remote_dir() / "b.sta"));
  EXPECT_TRUE(fs::exists(sshd.remote_dir() / "c.xml.part"));  // never half a file
  EXPECT_FALSE(fs::exists(local / "inbox" / "a.xml.part"));
}

TEST(SftpFetch, MovesRemoteFilesWhenConfigured) {
  test::TestSshd sshd;
  test::TempDir local;
  fs::create_directories(sshd.remote_dir() / "done");
  test::write_file(sshd.remote_dir() / "a.xml", "<one/>");
  auto o = test::sftp_options_for(sshd);
  o.after_download = "move";
  o.move_to = (sshd.remote_dir() / "done").string();
  auto r = connectors::SftpFetcher(o).fetch_into(local.path());
  ASSERT_TRUE(r) << r.problem().to_string();
  EXPECT_TRUE(fs::exists(sshd.remote_dir() / "done" / "a.xml"));
  EXPECT_TRUE(fs::exists(local / "a.xml"));
}

TEST(SftpFetch, RefusesAnUnknownHostKey) {
  test::TestSshd sshd;
  test::TempDir local;
  test::write_file(sshd.remote_dir() / "a.xml", "<one/>");
  auto o = test::sftp_options_for(sshd);
  o.known_hosts = sshd.wrong_known_hosts();
  auto r = connectors::SftpFetcher(o).fetch_into(local.path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem().code, "SFTP_HOSTKEY") << r.problem().to_string();
  EXPECT_TRUE(fs::exists(sshd.remote_dir() / "a.xml"));
  EXPECT_FALSE(fs::exists(local / "a.xml"));
}

TEST(SftpFetch, RefusesAWrongUserKey) {
  test::TestSshd sshd;
  test::TempDir local;
  auto o = test::sftp_options_for(sshd);
  o.private_key = sshd.other_user_key();
  o.public_key = sshd.other_user_key().string() + ".pub";
  auto r = connectors::SftpFetcher(o).fetch_into(local.path());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem().code, "SFTP_AUTH") << r.problem().to_string();
}

TEST(SftpFetch, FetchedStatementsAreImported) {
  test::TestSshd sshd;
  test::TempDir local;
  fs::copy_file(test::shared_dir() / "corpus/camt053/nordea_fi_v02_rf_reference.xml", sshd.remote_dir() / "nordea.xml");
  connectors::FolderInbox inbox({local / "in", local / "work", local / "archive", local / "quarantine", std::chrono::seconds(0),
                                 std::size_t(1) << 30});
  ASSERT_TRUE(connectors::SftpFetcher(test::sftp_options_for(sshd)).fetch_into(local / "in"));
  test::TestDatabase db("sqlite");
  auto store = open_store({db.url(), 1, 5000});
  store->migrate();
  auto outcomes = inbox.poll(
      [&](const std::string& name, connectors::MappedFile& file) -> Result<std::string> {
        auto r = statements::import_statement_file(*store, name, file.bytes(), {}, "test");
        if (!r) return r.problem();
        return r.value().to_string();
      },
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + std::chrono::hours(1));
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_TRUE(outcomes[0].imported) << outcomes[0].message;
  EXPECT_EQ(store->begin()->statements().list({}).size(), 1u);
}
