#include "store/migrations.hpp"

#include <algorithm>

#include "arcd/error.hpp"

#include "arcd/embedded.hpp"
ARCD_EMBEDDED(sqlite_migrations)
ARCD_EMBEDDED(postgresql_migrations)

namespace arcd::store {

std::vector<Migration> migrations_for(Backend backend) {
  const auto* files = backend == Backend::sqlite ? embedded::sqlite_migrations : embedded::postgresql_migrations;
  const auto count = backend == Backend::sqlite ? embedded::sqlite_migrations_count : embedded::postgresql_migrations_count;
  std::vector<Migration> out;
  for (std::size_t i = 0; i < count; ++i) {
    std::string name(files[i].name);
    if (name.ends_with(".sql")) name.resize(name.size() - 4);
    int version = 0;
    try {
      version = std::stoi(name.substr(0, name.find('_')));
    } catch (const std::exception&) {
      throw Error("DB_MIGRATIONS", "migration file '" + name + "' does not start with its number");
    }
    out.push_back({version, name, files[i].content});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].version != static_cast<int>(i) + 1) {
      throw Error("DB_MIGRATIONS", "migrations must be numbered 1, 2, 3... without gaps; found " + out[i].name);
    }
  }
  return out;
}

}  // namespace arcd::store
