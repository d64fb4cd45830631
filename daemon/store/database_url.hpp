#pragma once
// Database URLs: "sqlite:///abs/path.db", "sqlite://relative.db", "sqlite::memory:",
// "postgresql://user:pw@host:port/db?opts" (also "postgres://").

#include <string>

namespace arcd::store {

enum class Backend { sqlite, postgresql };

struct DatabaseUrl {
  Backend backend;
  std::string path;            // sqlite: file path (":memory:" allowed)
  std::string connect_string;  // postgresql: the libpq URI as given
};

// Throws arcd::Error DB_URL naming the URL (redacted) and what is wrong.
DatabaseUrl parse_database_url(const std::string& url);

}  // namespace arcd::store
