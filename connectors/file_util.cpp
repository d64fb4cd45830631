#include "connectors/file_util.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

namespace arcd::connectors {
namespace fs = std::filesystem;

Result<std::string> read_file_limited(const fs::path& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Problem{"FILE_READ", path.string(), ec.message()};
  if (size > max_bytes) {
    return Problem{"FILE_TOO_LARGE", path.string(),
                   std::to_string(size) + " bytes is over the limit of " + std::to_string(max_bytes)};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Problem{"FILE_READ", path.string(), "cannot open"};
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::size_t>(in.gcount()) != size) return Problem{"FILE_READ", path.string(), "short read"};
  return bytes;
}

fs::path move_into(const fs::path& from, const fs::path& to_dir) {
  std::error_code ec;
  fs::create_directories(to_dir, ec);
  if (ec) throw Error("FILE_MOVE", "cannot create " + to_dir.string() + ": " + ec.message());
  fs::path target = to_dir / from.filename();
  for (int n = 1; fs::exists(target); ++n) {
    target = to_dir / (from.stem().string() + "." + std::to_string(n) + from.extension().string());
  }
  fs::rename(from, target, ec);
  if (ec) throw Error("FILE_MOVE", "cannot move " + from.string() + " to " + target.string() + ": " + ec.message());
  return target;
}

void write_file_atomic(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw Error("FILE_WRITE", "cannot create " + tmp.string());
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      throw Error("FILE_WRITE", "cannot write " + tmp.string());
    }
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error("FILE_WRITE", "cannot rename " + tmp.string() + ": " + ec.message());
}

}  // namespace arcd::connectors
