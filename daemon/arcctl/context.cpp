#include "arcctl/commands.hpp"
#include "arcd/error.hpp"

#include <boost/json.hpp>

#include <cstdlib>

namespace arcd::arcctl {

const app::Config& Context::config() {
  if (!config_) config_ = app::load_config(config_path, overrides);
  return *config_;
}

Store& Context::store() {
  if (!store_) {
    const auto& db = config().database;
    store_ = open_store({db.url, 1, db.busy_timeout_ms});
  }
  return *store_;
}

Store& Context::migrated_store() {
  const auto st = store().schema_status();
  if (!st.pending.empty()) {
    throw Error("DB_SCHEMA_PENDING", std::to_string(st.pending.size()) + " migration(s) pending; run `arcctl db migrate` first");
  }
  return *store_;
}

std::optional<std::string> Context::option(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

Actor cli_actor() { return "cli:" + std::string(std::getenv("USER") ? std::getenv("USER") : "arcctl"); }

Page page_option(const Context& c) {
  Page page;
  page.limit = c.option("limit") ? std::stoi(*c.option("limit")) : 1000;
  if (auto v = c.option("after")) page.after_id = std::stoll(*v);
  return page;
}

std::int64_t id_word(const Context& c, const char* what) {
  if (c.words.size() != 1) throw Error("CLI_USAGE", std::string("give one ") + what);
  try {
    std::size_t used = 0;
    const auto v = std::stoll(c.words[0], &used);
    if (used == c.words[0].size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  throw Error("CLI_USAGE", std::string(what) + " '" + c.words[0] + "' is not a number");
}

int finish(Context& c, Transaction& tx, const Result<std::string>& r) {
  if (!r) {
    c.err << r.problem().to_string() << "\n";
    return 1;
  }
  tx.commit();
  if (c.format == Format::json) c.out << boost::json::serialize(boost::json::object{{"message", r.value()}}) << "\n";
  else c.out << r.value() << "\n";
  return 0;
}

std::string required(Context& c, const char* option, const char* what) {
  auto v = c.option(option);
  if (!v || v->empty()) throw Error("CLI_USAGE", std::string("--") + option + " is required: " + what);
  return *v;
}

}  // namespace arcd::arcctl
