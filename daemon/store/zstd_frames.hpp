#pragma once
// Raw bank files are stored as zstd frames, one per chunk: statement XML shrinks 10-30x, so an
// import writes (and SQLite checkpoints) a fraction of the bytes, and compressing at level 1
// (over 1 GB/s) costs far less than the writes it saves. Each frame decodes on its own.

#include <string>
#include <string_view>

namespace arcd::store {

std::string zstd_frame(std::string_view bytes);
// Appends what a frame (or several concatenated) holds; throws Error RAW_FILE_CORRUPT.
void append_unzstd(std::string_view frames, std::string& out);

}  // namespace arcd::store
