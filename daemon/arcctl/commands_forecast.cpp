// arcctl forecast show [--horizon DAYS] [--by currency|entity|account] [--as-of D]: what the open
// receivables are expected to bring, when.
#include <boost/json.hpp>

#include "arcctl/commands.hpp"
#include "forecast/backtest.hpp"
#include "forecast/feed_snapshot.hpp"
#include "forecast/forecast.hpp"
#include "mapping/tms/inflow_feed.hpp"

#include <fstream>

namespace arcd::arcctl {
namespace json = boost::json;

namespace {

// --NAME as a number of days within [min, max], else `fallback`.
int days_option(Context& c, const std::string& name, int fallback, int min, int max) {
  const auto v = c.option(name);
  if (!v) return fallback;
  int days = 0;
  try {
    std::size_t used = 0;
    days = std::stoi(*v, &used);
    if (used != v->size()) days = min - 1;
  } catch (const std::exception&) {
    days = min - 1;
  }
  if (days < min || days > max) throw Error("CLI_USAGE", "--" + name + " is a number of days, " + std::to_string(min) + ".." + std::to_string(max));
  return days;
}

int horizon_option(Context& c) { return days_option(c, "horizon", 90, 1, 730); }

}  // namespace

int cmd_forecast_show(Context& c) {
  const int horizon = horizon_option(c);
  auto by = forecast::GroupBy::currency;
  if (auto b = c.option("by")) {
    if (*b == "entity") by = forecast::GroupBy::entity;
    else if (*b == "account") by = forecast::GroupBy::account;
    else if (*b != "currency") throw Error("CLI_USAGE", "--by is currency, entity or account");
  }
  const Date as_of = c.option("as-of") ? Date::parse_or_throw(*c.option("as-of")) : make_system_clock()->today();
  auto tx = c.migrated_store().begin();
  const auto f = forecast::build_forecast(*tx, c.config().forecast, as_of);
  Table t({"period", "from", "to", "currency", "group", "amount", "flows"});
  for (const auto& b : forecast::bucket_forecast(f, horizon, by))
    t.add({json::value(b.period), json::value(b.from.to_string()), json::value(b.to.to_string()), json::value(b.currency),
           json::value(b.group), json::value(Money(b.amount_minor, Currency::of(b.currency)).to_string()), json::value(b.flows)});
  t.print(c.out, c.format);
  if (c.format == Format::table) {
    for (const auto& [code, minor] : f.disputed) c.out << "held out (disputed): " << Money(minor, Currency::of(code)).to_display() << "\n";
    for (const auto& [code, minor] : f.on_account) c.out << "netted (cash on account): " << Money(minor, Currency::of(code)).to_display() << "\n";
  }
  return 0;
}

// The next inflow feed snapshot (docs/inflow-feed.schema.json), recorded with its version:
// JSON or the arcd CSV layout, to --out FILE (written whole, then renamed) or stdout.
int cmd_forecast_feed(Context& c) {
  auto settings = c.config().forecast;
  if (c.option("horizon")) settings.feed_horizon_days = horizon_option(c);
  const std::string layout = c.option("layout").value_or("json");
  const auto file_layout = mapping::tms::parse_file_layout(layout);
  if (layout != "json" && !file_layout) throw Error("CLI_USAGE", "--layout is json, csv, kyriba, coupa or treasury-systems");
  const auto clock = make_system_clock();
  auto tx = c.migrated_store().begin();
  const auto f = forecast::build_forecast(*tx, settings, clock->today());
  const auto previous = tx->feeds().latest();
  const auto snapshot = forecast::next_feed_snapshot(*tx, f, clock->now(), settings);
  const auto feed = forecast::feed_since(*tx, snapshot, previous, settings);
  const std::string body = file_layout ? mapping::tms::feed_file(feed, *file_layout) : mapping::tms::feed_json(feed) + "\n";
  if (auto out = c.option("out")) {
    const std::string tmp = *out + ".tmp";
    {
      std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
      file << body;
      file.close();
      if (!file) throw Error("FEED_WRITE", "cannot write " + tmp);
    }
    std::filesystem::rename(tmp, *out);
    c.err << "feed " << feed.feed_id << " (version " << snapshot.version << "): " << feed.flows.size() << " flows, "
          << feed.removed_references.size() << " removed, " << feed.receipts.size() << " receipts, written to " << *out << "\n";
  } else {
    c.out << body;
  }
  tx->commit();  // the version counts once the feed is out
  return 0;
}

namespace {

// 1234 basis points -> "12.3" (percent, one decimal, rounded toward zero).
json::value percent(std::optional<std::int64_t> bp) {
  if (!bp) return nullptr;
  const std::int64_t tenths = *bp / 10;
  const std::int64_t whole = tenths / 10, frac = (tenths < 0 ? -tenths : tenths) % 10;
  return json::value((tenths < 0 && whole == 0 ? "-" : "") + std::to_string(whole) + "." + std::to_string(frac));
}

}  // namespace

// The forecast replayed over history (forecast/backtest.hpp): error per horizon and currency.
int cmd_forecast_backtest(Context& c) {
  if (!c.option("from") || !c.option("to")) throw Error("CLI_USAGE", "forecast backtest needs --from DATE and --to DATE");
  const Date from = Date::parse_or_throw(*c.option("from")), to = Date::parse_or_throw(*c.option("to"));
  const int step = days_option(c, "step", 7, 1, 366);
  const Date today = make_system_clock()->today();
  if (to >= today) throw Error("CLI_USAGE", "--to must be before today: the cash after it has to be known");
  auto tx = c.migrated_store().begin();
  const auto r = forecast::run_backtest(*tx, c.config().forecast, from, to, step, today);
  Table t({"currency", "horizon_days", "dates", "actual", "predicted", "mae_percent", "bias_percent"});
  for (const auto& b : r.bands) {
    const auto currency = Currency::of(b.currency);
    t.add({json::value(b.currency), json::value(std::to_string(b.from_day) + "-" + std::to_string(b.to_day)), json::value(b.dates),
           json::value(Money(b.actual_minor, currency).to_string()), json::value(Money(b.predicted_minor, currency).to_string()),
           percent(b.mae_bp()), percent(b.bias_bp())});
  }
  t.print(c.out, c.format);
  if (c.format == Format::table)
    c.out << r.as_of_dates << " as-of dates, " << r.invoices << " invoices, " << r.payments << " payments; bias > 0: expected more, sooner\n";
  return 0;
}

}  // namespace arcd::arcctl
