// Editing a SQLite table's text in place (store/schema_text_edit.hpp), on a session of its own:
// what takes effect, and what a text SQLite cannot parse leaves behind.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "arcd/error.hpp"
#include "store/schema_text_edit.hpp"
#include "test_support.hpp"

using namespace arcd;

namespace {

constexpr const char* kToLetters =
    "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (s IN (''a'', ''b'', ''c''))', "
    "'CHECK (s = ''a'' OR s = ''b'' OR s = ''c'')') WHERE type = 'table' AND name = 't';";

struct Database {
  test::TempDir dir;
  soci::session sql{soci::sqlite3, "db=\"" + (dir / "t.db").string() + "\""};

  Database() {
    sql << "PRAGMA journal_mode = WAL";
    sql << "CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT NOT NULL CHECK (s IN ('a', 'b', 'c')))";
    sql << "INSERT INTO t(s) VALUES('b')";
  }
  std::string table_text() {
    std::string text;
    sql << "SELECT sql FROM sqlite_schema WHERE name = 't'", soci::into(text);
    return text;
  }
  long long pragma(const std::string& name) {
    long long v = -1;
    sql << "PRAGMA " + name, soci::into(v);
    return v;
  }
  // The message SQLite refuses the insert of `s` with, empty when it is stored.
  std::string refusal(const std::string& s) {
    try {
      sql << "INSERT INTO t(s) VALUES(:s)", soci::use(s);
      return "";
    } catch (const std::exception& e) {
      return e.what();
    }
  }
};

}  // namespace

TEST(SchemaTextEdit, AnEditTakesEffectForThisConnectionAndTheVersionGrows) {
  Database d;
  const auto version = d.pragma("schema_version");
  d.sql << "BEGIN IMMEDIATE";
  store::run_schema_text_edit(d.sql, kToLetters);
  d.sql << "COMMIT";
  EXPECT_EQ(d.table_text(), "CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT NOT NULL CHECK (s = 'a' OR s = 'b' OR s = 'c'))");
  EXPECT_GT(d.pragma("schema_version"), version);
  EXPECT_EQ(d.pragma("writable_schema"), 0);
  EXPECT_NE(d.refusal("z").find("CHECK constraint failed: s = 'a' OR s = 'b' OR s = 'c'"), std::string::npos) << d.refusal("z");
  EXPECT_EQ(d.refusal("c"), "");
  long long rows = 0;
  d.sql << "SELECT COUNT(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, 2);
}

TEST(SchemaTextEdit, ATextThatDoesNotParseIsToldBeforeTheCommitAndRollsBackToTheOldOne) {
  Database d;
  const auto before = d.table_text();
  d.sql << "BEGIN IMMEDIATE";
  try {
    store::run_schema_text_edit(d.sql, "UPDATE sqlite_schema SET sql = replace(sql, 's IN (', 's IN OR (') WHERE name = 't';");
    FAIL() << "a table text that does not parse was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "DB_SCHEMA_TEXT");
    EXPECT_NE(std::string(e.what()).find("does not parse"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("syntax error"), std::string::npos) << e.what();
  }
  d.sql << "ROLLBACK";
  EXPECT_EQ(d.table_text(), before);
  EXPECT_EQ(d.pragma("writable_schema"), 0);
  EXPECT_NE(d.refusal("z").find("CHECK constraint failed"), std::string::npos);
  EXPECT_EQ(d.refusal("a"), "");
}

TEST(SchemaTextEdit, AScriptThatFailsLeavesTheSchemaReadOnly) {
  Database d;
  d.sql << "BEGIN IMMEDIATE";
  try {
    store::run_schema_text_edit(d.sql, "UPDATE no_such_table SET x = 1;");
    FAIL() << "a failing script was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "DB_MIGRATION_FAILED");
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
  d.sql << "ROLLBACK";
  EXPECT_EQ(d.pragma("writable_schema"), 0);
  try {
    d.sql << "UPDATE sqlite_schema SET sql = sql WHERE name = 't'";
    ADD_FAILURE() << "sqlite_schema was left writable";
  } catch (const std::exception&) {
  }
}
