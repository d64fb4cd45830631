#pragma once
// Small file-system steps the file-based sources share.

#include <cstddef>
#include <filesystem>
#include <string>

#include "arcd/error.hpp"

namespace arcd::connectors {

// Reads a whole file, refusing one larger than `max_bytes` (FILE_TOO_LARGE) or unreadable
// (FILE_READ), with the path in the problem.
Result<std::string> read_file_limited(const std::filesystem::path& path, std::size_t max_bytes);

// Moves `from` into folder `to_dir`, creating it; a name already taken gets a numeric suffix so
// nothing is overwritten. Returns the final path. Throws arcd::Error FILE_MOVE.
std::filesystem::path move_into(const std::filesystem::path& from, const std::filesystem::path& to_dir);

// Writes a file atomically (temp file + fsync + rename). Throws arcd::Error FILE_WRITE.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

}  // namespace arcd::connectors
