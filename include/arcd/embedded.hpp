#pragma once
// Files built into the binary by cmake/EmbedFiles.cmake (migrations, mail templates, the
// OpenAPI document, the dashboard): declare a set with ARCD_EMBEDDED(prefix), then read
// embedded::prefix[0 .. prefix_count).

#include <cstddef>
#include <string_view>

namespace arcd::embedded {
struct File {
  std::string_view name;
  std::string_view content;
};
}  // namespace arcd::embedded

#define ARCD_EMBEDDED(prefix)                 \
  namespace arcd::embedded {                  \
  extern const File prefix[];                 \
  extern const std::size_t prefix##_count;    \
  }
