#include <gtest/gtest.h>

#include "arcd/date.hpp"
#include "arcd/error.hpp"

using arcd::Date;

TEST(Date, ParsesStrictIsoCalendarDates) {
  EXPECT_EQ(Date::parse("2026-11-23"), Date(2026, 11, 23));
  EXPECT_EQ(Date::parse("2024-02-29"), Date(2024, 2, 29));
  for (const char* bad : {"2026-02-30", "2023-02-29", "2026-13-01", "2026-1-01", "26-11-23", "2026/11/23", "", "2026-11-23T00:00:00"}) {
    EXPECT_FALSE(Date::parse(bad)) << bad;
  }
  EXPECT_THROW(Date::parse_or_throw("2026-02-30"), arcd::Error);
}

TEST(Date, FormatsAndCounts) {
  EXPECT_EQ(Date(2026, 1, 5).to_string(), "2026-01-05");
  EXPECT_EQ(days_between(Date(2026, 1, 1), Date(2026, 3, 1)), 59);
  EXPECT_EQ(Date(2026, 12, 31).plus_days(1), Date(2027, 1, 1));
}

TEST(Instant, Iso8601RoundTripAndOffsets) {
  auto t = arcd::parse_iso8601("2026-11-23T23:15:53Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(arcd::to_iso8601(*t), "2026-11-23T23:15:53Z");
  EXPECT_EQ(arcd::parse_iso8601("2026-11-24T01:15:53+02:00"), t);
  EXPECT_EQ(arcd::parse_iso8601("2026-11-23T23:15:53.123456Z"), t);
  EXPECT_FALSE(arcd::parse_iso8601("2026-11-23 23:15:53"));
  EXPECT_FALSE(arcd::parse_iso8601("2026-11-23T25:15:53Z"));
  EXPECT_EQ(arcd::utc_date(*t), Date(2026, 11, 23));
}

// Dates and instants are formatted by hand (put_date): every field zero-padded, at the edges of
// the four-digit years and of the day, and every day of two centuries reads back as itself.
TEST(Date, FormatsEveryDayOfTwoCenturiesAndTheEdges) {
  EXPECT_EQ(Date(1, 1, 1).to_string(), "0001-01-01");
  EXPECT_EQ(Date(9999, 12, 31).to_string(), "9999-12-31");
  EXPECT_EQ(Date(10000, 1, 1).to_string(), "10000-01-01");  // past four digits: as printf would
  for (Date d(1950, 1, 1); d < Date(2150, 1, 1); d = d.plus_days(1)) {
    ASSERT_EQ(Date::parse(d.to_string()), d) << d.to_string();
  }
  auto t = arcd::parse_iso8601("2026-01-02T03:04:05Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(arcd::to_iso8601(*t), "2026-01-02T03:04:05Z");
  EXPECT_EQ(arcd::to_iso8601(*arcd::parse_iso8601("1999-12-31T23:59:59Z")), "1999-12-31T23:59:59Z");
  EXPECT_EQ(arcd::to_iso8601(*arcd::parse_iso8601("2000-01-01T00:00:00Z")), "2000-01-01T00:00:00Z");
  EXPECT_EQ(arcd::to_iso8601(*arcd::parse_iso8601("2026-11-23T23:15:53.999Z")), "2026-11-23T23:15:53Z");  // seconds, not rounded
}
