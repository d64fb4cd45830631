#pragma once
// Raw bank files are stored as zstd frames, one per chunk: statement XML shrinks 10-30x, so an
// import writes (and SQLite checkpoints) a fraction of the bytes, and compressing at level 1
// (over 1 GB/s) costs far less than the writes it saves. Each frame decodes on its own.

#include <memory>
#include <string>
#include <string_view>

namespace arcd::store {

// Compresses chunk after chunk with one zstd context and one buffer. A context per chunk
// costs a few MB of fresh memory each time, and first-touching memory is what a VM charges
// most for (on the development machines about 3 s per GiB: more than compressing took).
class ZstdFrameWriter {
 public:
  ZstdFrameWriter();
  ~ZstdFrameWriter();
  ZstdFrameWriter(const ZstdFrameWriter&) = delete;
  ZstdFrameWriter& operator=(const ZstdFrameWriter&) = delete;

  std::string frame(std::string_view bytes);

 private:
  struct Compressor;
  std::unique_ptr<Compressor> compressor_;
};

// Appends what a frame (or several concatenated) holds; throws Error RAW_FILE_CORRUPT.
void append_unzstd(std::string_view frames, std::string& out);

}  // namespace arcd::store
