// Inflow feed snapshots: versions and the references each held.
#include <boost/json.hpp>

#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"

namespace arcd::store {
namespace json = boost::json;

namespace {

const char* const kSnapshotColumns = "SELECT version, feed_id, refs, receipts_through FROM forecast_feeds ";

ForecastFeedRepository::Snapshot snapshot_of(const soci::row& r) {
  ForecastFeedRepository::Snapshot s;
  s.version = col_i64(r, 0);
  s.feed_id = col_str(r, 1);
  const json::value refs = json::parse(col_str(r, 2));  // kept: iterating a temporary's array dangles
  for (const auto& v : refs.as_array()) s.references.emplace_back(v.as_string());
  s.receipts_through = col_i64(r, 3);
  return s;
}

}  // namespace

std::optional<ForecastFeedRepository::Snapshot> SqlForecastFeeds::latest() {
  try {
    return fetch_one(c_.sql, std::string(kSnapshotColumns) + "ORDER BY version DESC LIMIT 1", snapshot_of);
  } catch (...) {
    c_.fail("read the latest inflow feed");
  }
}

std::optional<ForecastFeedRepository::Snapshot> SqlForecastFeeds::get(std::int64_t version) {
  try {
    const long long v = version;
    return fetch_one(c_.sql, std::string(kSnapshotColumns) + "WHERE version = :v", snapshot_of, soci::use(v));
  } catch (...) {
    c_.fail("read inflow feed version " + std::to_string(version));
  }
}

std::optional<std::pair<std::int64_t, std::int64_t>> SqlForecastFeeds::latest_version() {
  try {
    return fetch_one(c_.sql, "SELECT version, receipts_through FROM forecast_feeds ORDER BY version DESC LIMIT 1", [](const soci::row& r) {
      return std::make_pair(std::int64_t(col_i64(r, 0)), std::int64_t(col_i64(r, 1)));
    });
  } catch (...) {
    c_.fail("read the latest inflow feed version");
  }
}

std::optional<std::string> SqlForecastFeeds::body(std::int64_t version) {
  try {
    const long long v = version;
    auto b = fetch_one(c_.sql, "SELECT body FROM forecast_feeds WHERE version = :v", [](const soci::row& r) { return col_str(r, 0); },
                       soci::use(v));
    if (b && b->empty()) return std::nullopt;
    return b;
  } catch (...) {
    c_.fail("read inflow feed version " + std::to_string(version));
  }
}

std::int64_t SqlForecastFeeds::prune(const std::vector<std::int64_t>& keep) {
  try {
    // The kept versions are integers we wrote into the statement ourselves: nothing to escape.
    std::string kept = "0";
    for (auto v : keep) kept += "," + std::to_string(v);
    soci::statement st = (c_.sql.prepare << "DELETE FROM forecast_feeds WHERE version < (SELECT MAX(version) FROM forecast_feeds) "
                                            "AND version NOT IN (SELECT version FROM tms_deliveries) AND version NOT IN (" + kept + ")");
    st.execute(true);
    return st.get_affected_rows();
  } catch (...) {
    c_.fail("prune inflow feed snapshots");
  }
}

std::int64_t SqlForecastFeeds::record(std::int64_t version, const std::string& feed_id, Instant generated_at, const std::vector<std::string>& references,
                                      std::int64_t receipts_through, const std::string& body) {
  try {
    json::array refs;
    for (const auto& r : references) refs.emplace_back(r);
    const std::string text = json::serialize(refs), at = to_iso8601(generated_at);
    const int flows = static_cast<int>(references.size());
    const long long through = receipts_through;
    const long long v = version;
    c_.sql << "INSERT INTO forecast_feeds(version, feed_id, generated_at, refs, flows, receipts_through, body) "
              "VALUES(:v, :f, :g, :r, :n, :t, :b)",
        soci::use(v), soci::use(feed_id), soci::use(at), soci::use(text), soci::use(flows), soci::use(through), soci::use(body);
    return version;
  } catch (...) {
    c_.fail("record inflow feed " + feed_id);
  }
}

std::int64_t SqlForecastFeeds::last_application_id() {
  try {
    long long id = 0;
    soci::indicator ind = soci::i_ok;
    c_.sql << "SELECT MAX(id) FROM applications", soci::into(id, ind);
    return ind == soci::i_ok ? id : 0;
  } catch (...) {
    c_.fail("read the last application id");
  }
}

std::vector<FeedReceipt> SqlForecastFeeds::receipts(std::int64_t after, std::int64_t through) {
  try {
    const long long a = after, t = through;
    return fetch_all(
        c_.sql,
        "SELECT a.id, a.invoice_id, i.source, i.number, c.external_id, c.name, a.kind, COALESCE(a.invoice_amount, a.amount), i.currency, "
        "e.value_date, e.booking_date, a.created_at, s.account "
        "FROM applications a JOIN invoices i ON i.id = a.invoice_id JOIN customers c ON c.id = i.customer_id "
        "JOIN entries e ON e.id = a.entry_id JOIN statements s ON s.id = e.statement_id "
        "WHERE a.kind IN ('apply', 'unapply') AND a.id > :a AND a.id <= :t ORDER BY a.id",
        [](const soci::row& r) {
          FeedReceipt x;
          x.application_id = col_i64(r, 0);
          x.invoice = InvoiceId(col_i64(r, 1));
          x.source = col_str(r, 2);
          x.invoice_number = col_str(r, 3);
          x.customer_external_id = col_str(r, 4);
          x.customer_name = col_str(r, 5);
          const auto m = col_money(r, 7, 8);
          x.amount = col_str(r, 6) == "unapply" ? Money(-m.minor(), m.currency()) : m;
          if (auto v = col_day(r, 9)) x.value_date = *v;
          else if (auto b = col_day(r, 10)) x.value_date = *b;
          else x.value_date = utc_date(col_instant(r, 11));
          x.account = col_str(r, 12);
          return x;
        },
        soci::use(a), soci::use(t));
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read receipts for the inflow feed");
  }
}

void SqlForecastFeeds::for_each_paying_account(const std::function<void(CustomerId, const std::string&)>& f) {
  try {
    for_each_row(c_.sql,
                 "SELECT i.customer_id, s.account FROM applications a JOIN invoices i ON i.id = a.invoice_id "
                 "JOIN entries e ON e.id = a.entry_id JOIN statements s ON s.id = e.statement_id "
                 "WHERE a.id IN (SELECT MAX(a2.id) FROM applications a2 JOIN invoices i2 ON i2.id = a2.invoice_id "
                 "WHERE a2.kind = 'apply' GROUP BY i2.customer_id)",
                 [&](const soci::row& r) { f(CustomerId(col_i64(r, 0)), col_str(r, 1)); });
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read the accounts customers pay into");
  }
}

std::optional<ForecastFeedRepository::Delivery> SqlForecastFeeds::delivered(const std::string& destination) {
  try {
    return fetch_one(
        c_.sql, "SELECT destination, version, feed_id, receipts_through, delivered_at FROM tms_deliveries WHERE destination = :d",
        [](const soci::row& r) {
          Delivery d;
          d.destination = col_str(r, 0);
          d.version = col_i64(r, 1);
          d.feed_id = col_str(r, 2);
          d.receipts_through = col_i64(r, 3);
          d.delivered_at = col_instant(r, 4);
          return d;
        },
        soci::use(destination));
  } catch (...) {
    c_.fail("read what " + destination + " received");
  }
}

void SqlForecastFeeds::record_delivery(const Delivery& d) {
  try {
    const long long v = d.version, t = d.receipts_through;
    const std::string at = to_iso8601(d.delivered_at);
    c_.sql << "INSERT INTO tms_deliveries(destination, version, feed_id, receipts_through, delivered_at) VALUES(:d, :v, :f, :t, :a) "
              "ON CONFLICT (destination) DO UPDATE SET version = excluded.version, feed_id = excluded.feed_id, "
              "receipts_through = excluded.receipts_through, delivered_at = excluded.delivered_at",
        soci::use(d.destination), soci::use(v), soci::use(d.feed_id), soci::use(t), soci::use(at);
  } catch (...) {
    c_.fail("record what " + d.destination + " received");
  }
}

}  // namespace arcd::store
