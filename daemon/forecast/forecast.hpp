#pragma once
// The expected-inflows forecast: for every open invoice, when its money is expected and how
// much, and why.
//   - behaviour: the due date shifted by the customer's amount-weighted days late over the
//     last `window_days` of payments (at least `min_payments` of them), else by the
//     customer's tier's, else by `fallback_days`;
//   - ptp: an open promise moves what it covers to the promised date (its amount, oldest
//     invoices first when it names none);
//   - disputed amounts are held out and reported apart;
//   - open amounts already net of partial payments; cash on account is taken off the
//     customer's earliest expected flows in that currency (they will net it).
// The account: the bank account the customer's latest applied payment came into (per-account
// buckets for treasury's cash positioning).
// Probability class: high (a promise from a customer without broken promises, or a
// behaviour date still ahead), medium (a promise from one who broke one, or a due date
// with no history), low (the expected date has passed: the money is late even for this
// customer; it is expected tomorrow).

#include <map>
#include <string>
#include <vector>

#include "arcd/store.hpp"

namespace arcd::forecast {

struct ForecastSettings {
  int window_days = 365;
  int min_payments = 3;
  int fallback_days = 0;  // days late assumed when neither the customer nor its tier has history
  // The treasury system's code for each bank account (statement account id -> code), used in
  // the feed's account_id; an account without one goes out as its own id.
  std::map<std::string, std::string> account_codes;
  int feed_horizon_days = 90;  // what every feed covers
};

enum class Basis { due_date, behaviour, ptp };
enum class Probability { high, medium, low };
std::string_view to_string(Basis b) noexcept;
std::string_view to_string(Probability p) noexcept;

struct ExpectedInflow {
  std::string key;  // stable across runs: "inv:<id>" or "inv:<id>:ptp:<id>"
  InvoiceId invoice;
  CustomerId customer;
  std::string entity;  // the invoice's source (ERP company)
  std::string invoice_number;
  Date due_date;
  std::string account;  // the bank account the customer last paid into ("" when never)
  Money amount = Money::unset();
  Date expected;
  Basis basis = Basis::due_date;
  Probability probability = Probability::medium;
  int days_late_assumed = 0;
};

struct Forecast {
  Date as_of;
  std::vector<ExpectedInflow> flows;                // by expected date, then key
  std::map<std::string, std::int64_t> disputed;     // held out, minor units per currency
  std::map<std::string, std::int64_t> on_account;   // netted against flows, per currency
};

Forecast build_forecast(Transaction& tx, const ForecastSettings& settings, Date as_of);

// Sums per period and group: a day each for the first 14 days after as_of, a week each to
// week 13, a calendar month each after that, up to as_of + horizon_days.
enum class GroupBy { currency, entity, account };
struct Bucket {
  Date from, to;  // inclusive
  std::string period;  // "day", "week", "month"
  std::string currency;
  std::string group;  // the entity or the account when grouped by one, else the currency
  std::int64_t amount_minor = 0;
  int flows = 0;
};
std::vector<Bucket> bucket_forecast(const Forecast& f, int horizon_days, GroupBy by);

}  // namespace arcd::forecast
