#pragma once
// How a client reaches the test sshd: its port, the test user and key, its known_hosts.

#include "connectors/sftp_fetcher.hpp"
#include "test_sshd.hpp"

namespace arcd::test {

inline connectors::SftpOptions sftp_options_for(const TestSshd& sshd) {
  connectors::SftpOptions o;
  o.host = "127.0.0.1";
  o.port = sshd.port();
  o.user = sshd.user();
  o.remote_dir = sshd.remote_dir().string();
  o.private_key = sshd.user_key();
  o.public_key = sshd.user_public_key();
  o.known_hosts = sshd.known_hosts();
  o.timeout = std::chrono::seconds(10);
  return o;
}

}  // namespace arcd::test
