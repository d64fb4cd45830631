#include "store/database_url.hpp"

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
    return {Backend::postgresql, "", url};
  }
  throw Error("DB_URL", "'" + redact_database_url(url) + "' is not a supported database URL (sqlite:///path or postgresql://...)");
}

}  // namespace store
}  // namespace arcd
