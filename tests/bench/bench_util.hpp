#pragma once
// What the benchmarks share: memory figures and seeding SQLite fast with prepared statements
// (a benchmark's set-up is not what it measures).

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

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
    std::string m = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(m);
  }
}

}  // namespace arcd::bench
