#include "connectors/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

namespace arcd::connectors {

Result<MappedFile> MappedFile::open(const std::filesystem::path& path, std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Problem{"FILE_READ", path.string(), std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Problem{"FILE_READ", path.string(), "not a regular file"};
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > max_bytes) {
    ::close(fd);
    return Problem{"FILE_TOO_LARGE", path.string(), std::to_string(size) + " bytes is over the limit of " + std::to_string(max_bytes)};
  }
  if (size == 0) {
    ::close(fd);
    return MappedFile("", 0);
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return Problem{"FILE_READ", path.string(), std::string("mmap: ") + std::strerror(errno)};
  ::madvise(p, size, MADV_SEQUENTIAL);
  return MappedFile(static_cast<const char*>(p), size);
}

MappedFile::MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_), released_(o.released_) {
  o.data_ = nullptr;
  o.size_ = 0;
}

MappedFile::~MappedFile() {
  if (data_ && size_) ::munmap(const_cast<char*>(data_), size_);
}

void MappedFile::release_before(std::size_t offset) noexcept {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t end = std::min(offset, size_) / page * page;
  if (end < released_) released_ = 0;  // a second pass over the file (storing the raw bytes)
  if (end <= released_) return;
  ::madvise(const_cast<char*>(data_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

}  // namespace arcd::connectors
