#pragma once
// How late customers pay: amount-weighted days late per customer and per tier (segment), and
// the days a forecast assumes for one customer: its own with at least `min_payments`
// payments, else its tier's, else `fallback_days`. Shared by the forecast and its back-test,
// so the back-test measures the model that runs.

#include <map>
#include <string>
#include <unordered_map>

#include "arcd/wide_int.hpp"
#include "forecast/forecast.hpp"

namespace arcd::forecast {

class Behaviour {
 public:
  explicit Behaviour(const ForecastSettings& s) : min_payments_(s.min_payments), fallback_days_(s.fallback_days) {}
  void add(std::int64_t customer, const std::string& tier, std::int64_t minor, int days_late);
  struct Assumed {
    int days = 0;
    bool learned = false;  // from payments (the customer's or its tier's), not the fallback
  };
  Assumed assumed(std::int64_t customer, const std::string& tier) const;

 private:
  // sum(amount * days) / sum(amount) in integers (wide enough: minor units times days).
  struct Weighted {
    int128 weighted = 0;
    int128 amount = 0;
    int payments = 0;
    void add(std::int64_t minor, int days);
    // Rounded to the nearest day (truncating would pull every forecast a day early).
    int days() const {
      if (amount <= 0) return 0;
      const int128 twice = 2 * weighted;
      return static_cast<int>((twice >= 0 ? twice + amount : twice - amount) / (2 * amount));
    }
  };
  int min_payments_, fallback_days_;
  std::unordered_map<std::int64_t, Weighted> by_customer_;
  std::map<std::string, Weighted> by_tier_;
};

}  // namespace arcd::forecast
