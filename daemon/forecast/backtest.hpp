#pragma once
// How far to trust the forecast: replay history. For every as-of date from `from` to `to`
// (every `step_days`), rebuild what the forecast would have said then — the invoices issued
// and still open that day, the behaviour learned from the payments before it, the same model
// as build_forecast — and compare, per horizon band (days 1-7, 8-14, 15-30, 31-60, 61-90 after
// the as-of date) and currency, with the cash that then arrived on those invoices. A band
// counts for an as-of date only when it lies wholly before `data_until` (its actuals are
// known). Errors are shares of the actual: MAE = sum |predicted - actual| / sum actual,
// bias = sum (predicted - actual) / sum actual (positive: the forecast expected more, sooner).
// Promises and disputes are not replayed (their state on a past day is not kept); cash
// arriving on invoices issued after the as-of date is not counted (no forecast held it).

#include <string>
#include <vector>

#include "arcd/store.hpp"
#include "forecast/forecast.hpp"

namespace arcd::forecast {

struct BacktestBand {
  std::string currency;
  int from_day = 0, to_day = 0;  // days after the as-of date, inclusive
  int dates = 0;                 // as-of dates that counted
  std::int64_t actual_minor = 0, predicted_minor = 0, abs_error_minor = 0;
  // In basis points of the actual (nullopt when nothing arrived).
  std::optional<std::int64_t> mae_bp() const;
  std::optional<std::int64_t> bias_bp() const;
};

struct Backtest {
  int as_of_dates = 0;
  std::int64_t invoices = 0, payments = 0;
  std::vector<BacktestBand> bands;  // by currency, then band
};

// Throws arcd::Error BACKTEST_RANGE when from > to or step_days < 1.
Backtest run_backtest(Transaction& tx, const ForecastSettings& settings, Date from, Date to, int step_days, Date data_until);

}  // namespace arcd::forecast
