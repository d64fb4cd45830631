#include "store/database_url.hpp"

#include <libpq-fe.h>

#include "arcd/error.hpp"
#include "arcd/store.hpp"

namespace arcd {

std::string redact_database_url(const std::string& url) {
  // scheme://user:password@host -> scheme://user:***@host
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto at = url.find('@', scheme_end + 3);
  if (at == std::string::npos) return url;
  const auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

namespace store {

DatabaseUrl parse_database_url(const std::string& url) {
  if (url == "sqlite::memory:") return {Backend::sqlite, ":memory:", ""};
  if (url.starts_with("sqlite://")) {
    std::string path = url.substr(9);
    if (path.empty()) throw Error("DB_URL", "'" + url + "' has no file path (use sqlite:///absolute/path.db)");
    return {Backend::sqlite, path, ""};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    // SOCI reads "scheme://" itself, so hand it libpq's keyword=value form instead of the URI.
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
      std::string why = err ? err : "unparseable";
      PQfreemem(err);
      while (!why.empty() && why.back() == '\n') why.pop_back();
      throw Error("DB_URL", "'" + redact_database_url(url) + "': " + why);
    }
    std::string conn;
    for (auto* o = opts; o->keyword; ++o) {
      if (!o->val) continue;
      std::string v;
      for (const char* c = o->val; *c; ++c) {
        if (*c == '\\' || *c == '\'') v += '\\';
        v += *c;
      }
      conn += (conn.empty() ? "" : " ") + std::string(o->keyword) + "='" + v + "'";
    }
    PQconninfoFree(opts);
    return {Backend::postgresql, "", conn};
  }
  throw Error("DB_URL", "'" + redact_database_url(url) + "' is not a supported database URL (sqlite:///path or postgresql://...)");
}

}  // namespace store
}  // namespace arcd
