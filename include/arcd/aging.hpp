#pragma once
// Balance and aging of open invoices, per currency, as of a date.

#include <array>
#include <map>
#include <span>
#include <string_view>

#include "arcd/model.hpp"

namespace arcd {

// Buckets by days past due: not yet due (due today or later), 0-30 (1 to 30 days late),
// 31-60, 61-90, 91-120, over 120.
enum class AgingBucket { not_due, d0_30, d31_60, d61_90, d91_120, over_120 };
inline constexpr std::size_t kAgingBucketCount = 6;
std::string_view to_string(AgingBucket b) noexcept;  // "not_due", "0-30", ..., "120+"
AgingBucket aging_bucket(Date due, Date as_of) noexcept;

struct CurrencyAging {
  Money open_total;
  Money overdue_total;
  std::array<Money, kAgingBucketCount> buckets;
  explicit CurrencyAging(Currency c);
};

// Sums the open amounts of the open invoices given; paid and cancelled ones are skipped.
std::map<std::string, CurrencyAging, std::less<>> age_invoices(std::span<const Invoice> invoices, Date as_of);

}  // namespace arcd
