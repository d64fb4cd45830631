#pragma once
// Strict, typed reading of a toml++ table: every key read is marked, and finish() rejects the
// ones nobody read. Errors carry "file:line: key.path: what".

#include <toml++/toml.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace arcd::app {

class TomlReader {
 public:
  // `overridden`: dotted keys set on the command line (--set), reported as such in errors.
  TomlReader(const toml::table& table, std::string path, std::string file,
             std::shared_ptr<const std::set<std::string>> overridden = nullptr);

  std::optional<std::string> string(const std::string& key);
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(const std::string& key);
  // An array of strings (an empty array is fine).
  std::optional<std::vector<std::string>> strings(const std::string& key);
  // A secret: a string, or { env = "NAME" }, or { file = "/path" } (a relative path is read from
  // $CREDENTIALS_DIRECTORY, as systemd's LoadCredential= provides). Trailing newlines dropped.
  std::optional<std::string> secret(const std::string& key);
  // A sub-table, or nullopt when absent; wrong type is an error.
  std::optional<TomlReader> table(const std::string& key);
  // An array of tables ([[key]]), each read strictly; empty when absent.
  std::vector<TomlReader> tables(const std::string& key);
  // Keys of this table in file order (for tables of named instances).
  std::vector<std::string> keys() const;
  void one_of(const std::string& key, const std::string& value, std::initializer_list<const char*> allowed) const;
  // Throws CFG_UNKNOWN_KEY for the first key that was never read.
  void finish() const;
  [[noreturn]] void fail(const std::string& code, const std::string& key, const std::string& what) const;
  std::string where(const std::string& key) const;
  const std::string& path() const { return path_; }

 private:
  const toml::node* get(const std::string& key);
  const toml::table* table_;
  std::string path_;
  std::string file_;
  std::set<std::string> read_;
  std::shared_ptr<const std::set<std::string>> overridden_;
};

}  // namespace arcd::app
