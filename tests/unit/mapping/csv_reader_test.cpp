#include <gtest/gtest.h>

#include "mapping/csv_reader.hpp"

using arcd::mapping::read_csv;

TEST(CsvReader, QuotesEscapesAndEmbeddedNewlines) {
  auto r = read_csv("a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\"multi\nline\",,\"\"\n", "f.csv");
  ASSERT_TRUE(r) << r.problem().to_string();
  const auto& rows = r.value();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"1", "x, \"y\"", "3"}));
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"multi\nline", "", ""}));
  EXPECT_EQ(rows[2].line, 3);
}

TEST(CsvReader, BomBlankLinesAndLineNumbers) {
  auto r = read_csv("\xEF\xBB\xBFh1,h2\n\n1,2\n\n3,4", "f.csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r.value().size(), 3u);
  EXPECT_EQ(r.value()[0].fields[0], "h1");
  EXPECT_EQ(r.value()[1].line, 3);
  EXPECT_EQ(r.value()[2].line, 5);
}

TEST(CsvReader, OtherDelimiter) {
  auto r = read_csv("a;b\n1,5;2\n", "f.csv", ';');
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value()[1].fields, (std::vector<std::string>{"1,5", "2"}));
}

TEST(CsvReader, ErrorsNameTheLine) {
  auto unterminated = read_csv("a,b\n1,\"open\n2,3\n", "bad.csv");
  ASSERT_FALSE(unterminated);
  EXPECT_EQ(unterminated.problem().code, "CSV_UNTERMINATED_QUOTE");
  EXPECT_EQ(unterminated.problem().where, "bad.csv:2");
  auto stray = read_csv("a,b\n1,2\n3,x\"y\n", "bad.csv");
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.problem().code, "CSV_STRAY_QUOTE");
  EXPECT_EQ(stray.problem().where, "bad.csv:3");
  auto after = read_csv("a\n\"x\"y\n", "bad.csv");
  ASSERT_FALSE(after);
  EXPECT_EQ(after.problem().code, "CSV_STRAY_QUOTE");
}
