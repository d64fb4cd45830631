#include "statements/frame_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "arcd/error.hpp"

namespace arcd::statements {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw Error("RAW_FILE_SPOOL", what + ": " + std::strerror(errno));
}

}  // namespace

FrameSpool::FrameSpool(std::size_t memory_bytes, std::filesystem::path dir) : memory_bytes_(memory_bytes), dir_(std::move(dir)) {
  if (dir_.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir_ = tmp && *tmp ? tmp : "/tmp";
  }
}

FrameSpool::~FrameSpool() { close_file(); }

FrameSpool::FrameSpool(FrameSpool&& other) noexcept
    : memory_bytes_(other.memory_bytes_),
      dir_(std::move(other.dir_)),
      in_memory_(std::move(other.in_memory_)),
      memory_used_(other.memory_used_),
      spooled_(std::move(other.spooled_)),
      fd_(std::exchange(other.fd_, -1)),
      file_end_(other.file_end_) {}

FrameSpool& FrameSpool::operator=(FrameSpool&& other) noexcept {
  if (this != &other) {
    close_file();
    memory_bytes_ = other.memory_bytes_;
    dir_ = std::move(other.dir_);
    in_memory_ = std::move(other.in_memory_);
    memory_used_ = other.memory_used_;
    spooled_ = std::move(other.spooled_);
    fd_ = std::exchange(other.fd_, -1);
    file_end_ = other.file_end_;
  }
  return *this;
}

void FrameSpool::close_file() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void FrameSpool::open_file() {
  std::string path = (dir_ / "arcd-raw-frames-XXXXXX").string();
  fd_ = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd_ < 0) fail("cannot make a spool file in " + dir_.string());
  ::unlink(path.c_str());  // the open descriptor keeps it; the name is never needed again
}

void FrameSpool::add(std::string frame) {
  // Once frames spill, all later ones do too: frames stay in file order either way.
  if (spooled_.empty() && memory_used_ + frame.size() <= memory_bytes_) {
    memory_used_ += frame.size();
    in_memory_.push_back(std::move(frame));
    return;
  }
  if (fd_ < 0) open_file();
  std::size_t written = 0;
  while (written < frame.size()) {
    const ssize_t n = ::pwrite(fd_, frame.data() + written, frame.size() - written, static_cast<off_t>(file_end_ + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot spool frame " + std::to_string(size()) + " of the raw file (" + std::to_string(frame.size()) + " bytes)");
    written += static_cast<std::size_t>(n);
  }
  spooled_.push_back({file_end_, frame.size()});
  file_end_ += frame.size();
}

std::string_view FrameSpool::frame(std::size_t i) {
  if (i < in_memory_.size()) return in_memory_[i];
  const Spooled& s = spooled_.at(i - in_memory_.size());
  read_back_.resize(s.size);
  std::size_t done = 0;
  while (done < s.size) {
    const ssize_t n = ::pread(fd_, read_back_.data() + done, s.size - done, static_cast<off_t>(s.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // the file is shorter than what was written to it
      fail("cannot read back spooled frame " + std::to_string(i) + " of the raw file");
    }
    done += static_cast<std::size_t>(n);
  }
  return read_back_;
}

}  // namespace arcd::statements
