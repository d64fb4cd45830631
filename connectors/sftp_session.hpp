#pragma once
// What every SFTP transfer over libcurl sets up the same way: the URL, the user and its key
// (or password), the known_hosts check that refuses an unknown or changed host key, timeouts;
// and what a libcurl failure means as a Problem (SFTP_CONNECT, SFTP_AUTH, SFTP_HOSTKEY, SFTP_LIST).
// Shared by the fetcher (bank files in) and the uploader (treasury files out).

#include <string>

#include <curl/curl.h>

#include "arcd/error.hpp"
#include "connectors/sftp_fetcher.hpp"

namespace arcd::connectors {

struct CurlHandle {
  CURL* h = curl_easy_init();
  CurlHandle() = default;
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
  ~CurlHandle() { curl_easy_cleanup(h); }
};

// "sftp://host:port" (paths are appended escaped).
std::string sftp_base_url(const SftpOptions& o);
// "sftp://user@host:port/dir/" for messages (never a secret).
std::string sftp_where(const SftpOptions& o);
std::string sftp_escape_path(const std::string& path);
void sftp_setup(CURL* h, const SftpOptions& o, const std::string& url);
Problem sftp_problem(CURLcode rc, const char* errbuf, const std::string& where);

}  // namespace arcd::connectors
