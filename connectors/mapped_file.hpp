#pragma once
// A file mapped read-only into memory, for parsing large statement files without copying
// them. release_before() hands pages already parsed back to the kernel, so resident memory
// stays flat however large the file (pair it with StatementParseOptions::progress).

#include <cstddef>
#include <filesystem>
#include <string_view>

#include "arcd/error.hpp"

namespace arcd::connectors {

class MappedFile {
 public:
  // FILE_READ when it cannot be opened or mapped, FILE_TOO_LARGE over `max_bytes`.
  static Result<MappedFile> open(const std::filesystem::path& path, std::size_t max_bytes);
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view bytes() const noexcept { return {data_, size_}; }
  // Gives back the pages before `offset`; an offset below the last one starts a new pass.
  void release_before(std::size_t offset) noexcept;

 private:
  MappedFile(const char* data, std::size_t size) : data_(data), size_(size) {}
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t released_ = 0;
};

}  // namespace arcd::connectors
