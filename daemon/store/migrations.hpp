#pragma once
// Numbered schema migrations per backend, embedded in the binary from migrations/<backend>/.

#include <string>
#include <string_view>
#include <vector>

#include "store/database_url.hpp"

namespace arcd::store {

struct Migration {
  int version;            // from the file name: 0001_init.sql -> 1
  std::string name;       // "0001_init"
  std::string_view sql;
};

// Sorted by version; throws arcd::Error DB_MIGRATIONS when numbering has gaps or repeats.
std::vector<Migration> migrations_for(Backend backend);

}  // namespace arcd::store
