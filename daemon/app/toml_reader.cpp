#include "app/toml_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "arcd/error.hpp"

namespace arcd::app {

TomlReader::TomlReader(const toml::table& table, std::string path, std::string file,
                       std::shared_ptr<const std::set<std::string>> overridden)
    : table_(&table), path_(std::move(path)), file_(std::move(file)), overridden_(std::move(overridden)) {}

std::string TomlReader::where(const std::string& key) const {
  const toml::node* n = table_->get(key);
  const toml::source_region& src = n ? n->source() : table_->source();
  std::string file = src.path ? std::string(*src.path) : file_;
  if (file.empty()) file = "<defaults>";
  std::string full = path_.empty() ? key : path_ + "." + key;
  if (overridden_ && overridden_->count(full)) return "--set " + full;
  if (src.begin.line == 0) return file + ": " + full;
  return file + ":" + std::to_string(src.begin.line) + ": " + full;
}

void TomlReader::fail(const std::string& code, const std::string& key, const std::string& what) const {
  throw Error(code, where(key) + ": " + what);
}

const toml::node* TomlReader::get(const std::string& key) {
  read_.insert(key);
  return table_->get(key);
}

std::optional<std::string> TomlReader::string(const std::string& key) {
  const auto* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail("CFG_TYPE", key, "expected a string");
  return std::string(n->as_string()->get());
}

std::optional<std::int64_t> TomlReader::integer(const std::string& key, std::int64_t min, std::int64_t max) {
  const auto* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_integer()) fail("CFG_TYPE", key, "expected an integer");
  const std::int64_t v = n->as_integer()->get();
  if (v < min || v > max) {
    fail("CFG_RANGE", key, std::to_string(v) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
  }
  return v;
}

std::optional<bool> TomlReader::boolean(const std::string& key) {
  const auto* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) fail("CFG_TYPE", key, "expected true or false");
  return n->as_boolean()->get();
}

std::optional<std::vector<std::string>> TomlReader::strings(const std::string& key) {
  const auto* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_array()) fail("CFG_TYPE", key, "expected an array of strings");
  std::vector<std::string> out;
  for (const auto& item : *n->as_array()) {
    if (!item.is_string()) fail("CFG_TYPE", key, "expected an array of strings");
    out.emplace_back(item.as_string()->get());
  }
  return out;
}

std::optional<std::string> TomlReader::secret(const std::string& key) {
  const auto* n = get(key);
  if (!n) return std::nullopt;
  if (n->is_string()) return std::string(n->as_string()->get());
  if (!n->is_table()) fail("CFG_TYPE", key, "expected a string or a table { env = \"NAME\" } or { file = \"PATH\" }");
  TomlReader sub(*n->as_table(), path_.empty() ? key : path_ + "." + key, file_, overridden_);
  auto env = sub.string("env");
  auto file = sub.string("file");
  sub.finish();
  if (env.has_value() == file.has_value()) fail("CFG_SECRET", key, "give exactly one of env or file");
  if (env) {
    const char* v = std::getenv(env->c_str());
    if (!v) fail("CFG_SECRET", key, "environment variable " + *env + " is not set");
    return std::string(v);
  }
  std::filesystem::path p = *file;
  if (p.is_relative()) {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (!dir) fail("CFG_SECRET", key, "relative secret file needs $CREDENTIALS_DIRECTORY (systemd LoadCredential=)");
    p = std::filesystem::path(dir) / p;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) fail("CFG_SECRET", key, "cannot read secret file " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string value = ss.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

std::optional<TomlReader> TomlReader::table(const std::string& key) {
  const auto* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_table()) fail("CFG_TYPE", key, "expected a table");
  return TomlReader(*n->as_table(), path_.empty() ? key : path_ + "." + key, file_, overridden_);
}

std::vector<TomlReader> TomlReader::tables(const std::string& key) {
  const auto* n = get(key);
  std::vector<TomlReader> out;
  if (!n) return out;
  if (!n->is_array_of_tables()) fail("CFG_TYPE", key, "expected an array of tables ([[" + key + "]])");
  const auto& items = *n->as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = (path_.empty() ? key : path_ + "." + key) + "[" + std::to_string(i) + "]";
    out.emplace_back(*items[i].as_table(), where, file_, overridden_);
  }
  return out;
}

std::vector<std::string> TomlReader::keys() const {
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const auto& [k, v] : *table_) found.emplace_back(v.source().begin.line, std::string(k.str()));
  std::stable_sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

void TomlReader::one_of(const std::string& key, const std::string& value, std::initializer_list<const char*> allowed) const {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return;
    list += list.empty() ? a : std::string(", ") + a;
  }
  fail("CFG_RANGE", key, "'" + value + "' is not one of " + list);
}

void TomlReader::finish() const {
  for (const auto& [k, v] : *table_) {
    const std::string key(k.str());
    if (!read_.count(key)) fail("CFG_UNKNOWN_KEY", key, "unknown key");
  }
}

}  // namespace arcd::app
