#include "test_support.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace arcd::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "arcd-test.XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
}

void deliver_file(const std::filesystem::path& p, const std::string& content) {
  const auto staging = p.parent_path().parent_path() / ("." + p.filename().string() + ".part");
  write_file(staging, content);
  std::filesystem::rename(staging, p);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path shared_dir() {
  if (const char* d = std::getenv("ARCD_SHARED_DIR")) return d;
  return fs::path(ARCD_SOURCE_DIR) / ".." / "shared";
}

std::vector<std::string> store_backends() { return {"sqlite", "postgresql"}; }

namespace {

std::string pg_admin_url() {
  const char* file = std::getenv("ARCD_TEST_PG_URL_FILE");
  if (!file) throw std::runtime_error("ARCD_TEST_PG_URL_FILE is not set: run the tests through ctest (it starts PostgreSQL)");
  std::string url = read_file(file);
  while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
  if (url.empty()) throw std::runtime_error(std::string("no PostgreSQL URL in ") + file + ": the pg fixture did not start");
  return url;
}

void pg_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + msg);
  }
  PGresult* r = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string msg = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + msg);
}

}  // namespace

void exec_raw_sql(const std::string& url, const std::string& sql) {
  if (url.starts_with("sqlite://")) {
    sqlite3* db = nullptr;
    if (sqlite3_open(url.substr(9).c_str(), &db) != SQLITE_OK) throw std::runtime_error("cannot open " + url);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error(msg);
    return;
  }
  pg_exec(url, sql);
}

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  static std::atomic<int> counter{0};
  if (backend == "sqlite") {
    dir_ = std::make_unique<TempDir>();
    url_ = "sqlite://" + (dir_->path() / "test.db").string();
    return;
  }
  admin_url_ = pg_admin_url();
  std::random_device rd;
  name_ = "arcd_t" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
  pg_exec(admin_url_, "CREATE DATABASE " + name_);
  url_ = admin_url_.substr(0, admin_url_.rfind('/')) + "/" + name_;
}

TestDatabase::~TestDatabase() {
  if (backend_ == "postgresql" && !name_.empty()) {
    try {
      pg_exec(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
  }
}

}  // namespace arcd::test
