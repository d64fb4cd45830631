// Inflow feed snapshots: versions and the references each held.
#include <boost/json.hpp>

#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace json = boost::json;

std::optional<ForecastFeedRepository::Snapshot> SqlForecastFeeds::latest() {
  try {
    return fetch_one(c_.sql, "SELECT version, feed_id, refs FROM forecast_feeds ORDER BY version DESC LIMIT 1", [](const soci::row& r) {
      Snapshot s;
      s.version = col_i64(r, 0);
      s.feed_id = col_str(r, 1);
      const json::value refs = json::parse(col_str(r, 2));  // kept: iterating a temporary's array dangles
      for (const auto& v : refs.as_array()) s.references.emplace_back(v.as_string());
      return s;
    });
  } catch (...) {
    c_.fail("read the latest inflow feed");
  }
}

std::int64_t SqlForecastFeeds::record(const std::string& feed_id, Instant generated_at, const std::vector<std::string>& references) {
  try {
    json::array refs;
    for (const auto& r : references) refs.emplace_back(r);
    const std::string text = json::serialize(refs), at = to_iso8601(generated_at);
    const int flows = static_cast<int>(references.size());
    long long version = 0;
    c_.sql << "INSERT INTO forecast_feeds(feed_id, generated_at, refs, flows) VALUES(:f, :g, :r, :n) RETURNING version",
        soci::use(feed_id), soci::use(at), soci::use(text), soci::use(flows), soci::into(version);
    return version;
  } catch (...) {
    c_.fail("record inflow feed " + feed_id);
  }
}

}  // namespace arcd::store
