#include "connectors/sftp_session.hpp"

#include <cctype>
#include <cstdio>

namespace arcd::connectors {

namespace {

// Only a host key that matches the known_hosts file is accepted: never an unknown or changed one.
int on_host_key(CURL*, const curl_khkey*, const curl_khkey*, enum curl_khmatch match, void*) {
  return match == CURLKHMATCH_OK ? CURLKHSTAT_FINE : CURLKHSTAT_REJECT;
}

}  // namespace

std::string sftp_base_url(const SftpOptions& o) { return "sftp://" + o.host + ":" + std::to_string(o.port); }

std::string sftp_where(const SftpOptions& o) {
  return "sftp://" + o.user + "@" + o.host + ":" + std::to_string(o.port) + o.remote_dir;
}

std::string sftp_escape_path(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void sftp_setup(CURL* h, const SftpOptions& o, const std::string& url) {
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_USERNAME, o.user.c_str());
  curl_easy_setopt(h, CURLOPT_SSH_KNOWNHOSTS, o.known_hosts.c_str());
  curl_easy_setopt(h, CURLOPT_SSH_KEYFUNCTION, on_host_key);
  if (!o.private_key.empty()) {
    curl_easy_setopt(h, CURLOPT_SSH_AUTH_TYPES, static_cast<long>(CURLSSH_AUTH_PUBLICKEY));
    curl_easy_setopt(h, CURLOPT_SSH_PRIVATE_KEYFILE, o.private_key.c_str());
    if (!o.public_key.empty()) curl_easy_setopt(h, CURLOPT_SSH_PUBLIC_KEYFILE, o.public_key.c_str());
    if (!o.key_passphrase.empty()) curl_easy_setopt(h, CURLOPT_KEYPASSWD, o.key_passphrase.c_str());
  } else {
    curl_easy_setopt(h, CURLOPT_SSH_AUTH_TYPES, static_cast<long>(CURLSSH_AUTH_PASSWORD));
    curl_easy_setopt(h, CURLOPT_PASSWORD, o.password.c_str());
  }
  const long timeout = static_cast<long>(o.timeout.count());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout * 10);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "sftp");
}

Problem sftp_problem(CURLcode rc, const char* errbuf, const std::string& where) {
  std::string code = "SFTP_CONNECT";
  if (rc == CURLE_LOGIN_DENIED) code = "SFTP_AUTH";
  if (rc == CURLE_PEER_FAILED_VERIFICATION) code = "SFTP_HOSTKEY";
  if (rc == CURLE_REMOTE_FILE_NOT_FOUND || rc == CURLE_REMOTE_ACCESS_DENIED) code = "SFTP_LIST";
  return Problem{code, where, std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : std::string())};
}

}  // namespace arcd::connectors
