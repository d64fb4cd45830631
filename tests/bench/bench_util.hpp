#pragma once
// What the benchmarks share: memory figures and seeding SQLite fast with prepared statements
// (a benchmark's set-up is not what it measures).

#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace arcd::bench {

inline long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// Resident memory the process itself allocated (heap, stacks), without file pages it maps:
// SQLite maps the database file (mmap_size), and ru_maxrss counts every mapped page it touched
// although the kernel can drop them at will.
inline long anon_rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long kb = 0;
  while (in >> key) {
    if (key == "RssAnon:") {
      in >> kb;
      return kb / 1024;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

// CPU seconds (user + system) of the whole process, or of the calling thread alone: what a
// phase cost beside how long it took, and which side of an in-process fake paid for it.
inline double cpu_seconds(int who = RUSAGE_SELF) {
  rusage u{};
  getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

inline long current_rss_mb() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

// A prepared statement bound by position, stepped and reset per row; a dry one binds and
// resets without writing (a generator that only needs its answers again).
class Insert {
 public:
  Insert(sqlite3* db, const char* sql, bool dry = false) : dry_(dry) {
    if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  }
  ~Insert() { sqlite3_finalize(st_); }
  Insert& i(int pos, long long v) {
    sqlite3_bind_int64(st_, pos, v);
    return *this;
  }
  Insert& s(int pos, const std::string& v) {
    sqlite3_bind_text(st_, pos, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  void run() {
    if (!dry_ && sqlite3_step(st_) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(sqlite3_db_handle(st_)));
    sqlite3_reset(st_);
  }

 private:
  sqlite3_stmt* st_ = nullptr;
  bool dry_ = false;
};

inline void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = std::string(err ? err : "?") + " in: " + std::string(sql).substr(0, 200);
    sqlite3_free(err);
    throw std::runtime_error(m);
  }
}

// A copy of a database page by page, what its log holds included (copying the file alone
// would leave out whatever was not yet checkpointed).
inline void copy_database(const std::string& from, const std::string& to) {
  sqlite3 *src = nullptr, *dst = nullptr;
  sqlite3_open(from.c_str(), &src);
  sqlite3_open(to.c_str(), &dst);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  const int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
  sqlite3_backup_finish(b);
  const std::string problem = rc == SQLITE_DONE ? "" : sqlite3_errmsg(dst);
  sqlite3_close(src);
  sqlite3_close(dst);
  if (!problem.empty()) throw std::runtime_error("cannot copy " + from + " to " + to + ": " + problem);
}

// Runs this very program again with `args` and waits for it: a measurement whose memory must
// not count in this process's peak RSS (getrusage's maximum only ever grows). False when the
// child could not start or failed.
inline bool run_self(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  std::vector<std::string> copies(args);
  for (auto& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) return false;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// SQLite's own share of what a benchmark measured: the rows a measured run stored, written again
// by plain SQL (INSERT ... SELECT, UPDATE ... FROM) with no parsing, binding or arcd code, into a
// database of the same schema and page size, on a connection with the durability and cache the
// store gives its own (sql_store.cpp: WAL, synchronous FULL, 64 MiB of cache, foreign keys on).
// No run that writes those rows through SQLite on this machine can be faster than this replay.
// The measured database is attached as `run`; what a step needs from it is staged into TEMP
// tables, untimed, so that reading it is not counted as writing.
class SqlReplay {
 public:
  SqlReplay(const std::string& target, const std::string& source) {
    if (sqlite3_open(target.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open " + target);
    exec(db_,
         "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; PRAGMA foreign_keys = ON; "
         "PRAGMA mmap_size = 2147483648; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0");
    untimed("ATTACH '" + source + "' AS run");
  }
  ~SqlReplay() { sqlite3_close(db_); }
  SqlReplay(const SqlReplay&) = delete;
  SqlReplay& operator=(const SqlReplay&) = delete;

  void untimed(const std::string& sql) { exec(db_, sql.c_str()); }
  long long integer(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
    const long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return v;
  }
  void begin() { untimed("BEGIN"); }
  void timed(const std::string& sql) { statement_seconds += seconds_of(sql); }
  // The same, with the time also added to `label`'s share, for a replay that prints where it went.
  void timed(const std::string& label, const std::string& sql) {
    const double s = seconds_of(sql);
    statement_seconds += s;
    auto it = std::find_if(shares.begin(), shares.end(), [&](const auto& share) { return share.first == label; });
    if (it == shares.end()) shares.emplace_back(label, s);
    else it->second += s;
  }
  void commit() { commit_seconds += seconds_of("COMMIT"); }
  // What the store's checkpoint thread does beside the next transaction, on the other core.
  void checkpoint() { checkpoint_seconds += seconds_of("PRAGMA main.wal_checkpoint(TRUNCATE)"); }

  double statement_seconds = 0, commit_seconds = 0, checkpoint_seconds = 0;
  std::vector<std::pair<std::string, double>> shares;  // labelled statements' seconds, in first-run order

 private:
  double seconds_of(const std::string& sql) {
    const auto t = std::chrono::steady_clock::now();
    exec(db_, sql.c_str());
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  }
  sqlite3* db_ = nullptr;
};

}  // namespace arcd::bench
