#include "arcctl/commands.hpp"
#include "arcd/error.hpp"

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

}  // namespace arcd::arcctl
