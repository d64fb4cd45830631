#pragma once
// Digests and secrets shared across layers: content hashes of bank files, API token hashes,
// the audit log's hash chain and CSRF values.

#include <memory>
#include <string>
#include <string_view>

namespace arcd {

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);
// SHA-256 fed piece by piece, for a file hashed as it streams past (same digest as sha256_hex
// of the pieces joined).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  // Lower-case hex; call once, after the last update.
  std::string hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};
// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// `bytes` bytes from the operating system's CSPRNG as lower-case hex. Throws on failure.
std::string random_hex(std::size_t bytes);
// Compares without an early exit, so the time taken does not tell how much matched.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace arcd
