#pragma once
// Shared test helpers: temporary folders, throwaway databases on both backends, files.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "arcd/clock.hpp"
#include "arcd/store.hpp"

namespace arcd::test {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& p, const std::string& content);
// Puts a file into a watched folder whole: written beside the folder, then renamed in, so a
// watcher never sees it half-written (what a careful sender does).
void deliver_file(const std::filesystem::path& p, const std::string& content);
std::string read_file(const std::filesystem::path& p);
// The shared corpus and fixtures folder (../shared beside the checkout, or $ARCD_SHARED_DIR).
std::filesystem::path shared_dir();

// A clock the test moves by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(start) {}
  Instant now() const override { return now_; }
  void advance(std::chrono::seconds s) { now_ += s; }
  void set(Instant t) { now_ = t; }

 private:
  Instant now_;
};

// Runs SQL on a database behind the Store's back (to simulate a newer schema, or to prove the
// database itself refuses a change). Throws std::runtime_error with the database's message.
void exec_raw_sql(const std::string& url, const std::string& sql);

// The backends every store test runs on: "sqlite" and "postgresql".
std::vector<std::string> store_backends();

// An empty database of the given backend: SQLite in a temp file, PostgreSQL as a new database
// in the suite's throwaway cluster (ARCD_TEST_PG_URL_FILE names the file with its URL), dropped
// on destruction. Fails the test (throws) when PostgreSQL is required but not running.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  const std::string& url() const { return url_; }

 private:
  std::string backend_;
  std::string url_;
  std::string admin_url_;
  std::string name_;
  std::unique_ptr<TempDir> dir_;
};

}  // namespace arcd::test
