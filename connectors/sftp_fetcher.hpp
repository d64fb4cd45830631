#pragma once
// Fetches bank files from an SFTP server (libcurl + libssh2) into a local inbox folder, where
// the FolderInbox imports them. Per file: download to "<name>.part" in the inbox, rename to
// "<name>" (so the inbox never sees half a file), then delete the remote file or move it to
// another remote folder. A crash between download and delete fetches the file again next
// time; the import is idempotent, so nothing is stored twice.
// The server's host key must be in a known_hosts file: an unknown or changed key is refused.
// Blocking: run on the worker pool.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "arcd/error.hpp"

namespace arcd::connectors {

struct SftpOptions {
  std::string host;
  int port = 22;
  std::string user;
  std::string remote_dir = "/";            // listed for files; ends without or with '/'
  std::filesystem::path private_key;       // key authentication (preferred)
  std::filesystem::path public_key;        // optional; derived from the private key if empty
  std::string key_passphrase;              // a secret
  std::string password;                    // a secret; discouraged, used only without a key
  std::filesystem::path known_hosts;       // required
  std::string after_download = "delete";   // "delete" or "move"
  std::string move_to;                     // remote folder for "move"
  std::size_t max_file_bytes = std::size_t(2) << 30;
  std::chrono::seconds timeout{60};
};

struct FetchReport {
  std::vector<std::string> fetched;        // file names now in the inbox
  std::vector<std::string> problems;       // per-file problems (the file stays on the server)
};

class SftpFetcher {
 public:
  explicit SftpFetcher(SftpOptions options);
  // Lists the remote folder and fetches every regular file into `inbox`. A connection or
  // authentication failure is a Problem (SFTP_CONNECT, SFTP_AUTH, SFTP_HOSTKEY, SFTP_LIST).
  Result<FetchReport> fetch_into(const std::filesystem::path& inbox);

 private:
  SftpOptions options_;
};

}  // namespace arcd::connectors
