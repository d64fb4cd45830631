#pragma once
// The compressed frames of a raw file while its import runs, until they are stored just
// before the commit. The first ones stay in memory (up to a budget); the rest go to an
// unlinked temporary file, so an import's memory does not grow with the file: a 2 GB
// statement that compresses 10:1 would otherwise hold 200 MB until its commit.
//
// Why not store each frame as it comes: the frames' overflow pages, written among the entry
// inserts, crowd the SQLite page cache those need (measured: the writer then spilled and
// re-read pages for every entry). The temporary file is only the page cache's business.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace arcd::statements {

class FrameSpool {
 public:
  static constexpr std::size_t kMemoryBytes = std::size_t(16) << 20;

  // Frames beyond `memory_bytes` go to a file made in `dir` (default: $TMPDIR, else /tmp),
  // unlinked at once: nothing is left behind, even after kill -9.
  explicit FrameSpool(std::size_t memory_bytes = kMemoryBytes, std::filesystem::path dir = {});
  ~FrameSpool();
  FrameSpool(FrameSpool&& other) noexcept;
  FrameSpool& operator=(FrameSpool&& other) noexcept;
  FrameSpool(const FrameSpool&) = delete;
  FrameSpool& operator=(const FrameSpool&) = delete;

  // Throws Error RAW_FILE_SPOOL (with the reason: a full disk, say) when the file fails.
  void add(std::string frame);
  std::size_t size() const { return in_memory_.size() + spooled_.size(); }
  // Frame `i`, read back from the file when it was spooled; the view lives until the next call.
  std::string_view frame(std::size_t i);

  std::size_t bytes_in_memory() const { return memory_used_; }
  std::size_t frames_spooled() const { return spooled_.size(); }

 private:
  struct Spooled {
    std::uint64_t offset;
    std::size_t size;
  };
  void open_file();
  void close_file() noexcept;

  std::size_t memory_bytes_;
  std::filesystem::path dir_;
  std::vector<std::string> in_memory_;
  std::size_t memory_used_ = 0;
  std::vector<Spooled> spooled_;
  int fd_ = -1;
  std::uint64_t file_end_ = 0;
  std::string read_back_;
};

}  // namespace arcd::statements
