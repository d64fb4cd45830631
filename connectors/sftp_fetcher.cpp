#include "connectors/sftp_fetcher.hpp"

#include "connectors/sftp_session.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace arcd::connectors {
namespace fs = std::filesystem;

namespace {

struct Download {
  std::FILE* file = nullptr;
  std::string* text = nullptr;
  std::size_t bytes = 0;
  std::size_t limit = 0;
};

std::size_t on_data(char* p, std::size_t size, std::size_t n, void* user) {
  auto* d = static_cast<Download*>(user);
  const std::size_t len = size * n;
  d->bytes += len;
  if (d->limit && d->bytes > d->limit) return 0;  // aborts the transfer
  if (d->text) d->text->append(p, len);
  if (d->file && std::fwrite(p, 1, len, d->file) != len) return 0;
  return len;
}

}  // namespace

SftpFetcher::SftpFetcher(SftpOptions options) : options_(std::move(options)) {
  if (!options_.remote_dir.empty() && options_.remote_dir.back() != '/') options_.remote_dir += '/';
  if (!options_.move_to.empty() && options_.move_to.back() != '/') options_.move_to += '/';
}

Result<FetchReport> SftpFetcher::fetch_into(const fs::path& inbox) {
  const std::string base = sftp_base_url(options_);
  const std::string where = sftp_where(options_);
  auto setup = [&](CURL* h, const std::string& url) { sftp_setup(h, options_, url); };
  auto problem_of = [&](CURLcode rc, const char* errbuf) { return sftp_problem(rc, errbuf, where); };

  // The long listing ("-rw-r--r-- 1 0 0 6 Nov 24 00:35 a.xml"): only regular files ('-') are
  // fetched, never folders or links.
  std::string listing;
  {
    CurlHandle c;
    char errbuf[CURL_ERROR_SIZE] = {};
    setup(c.h, base + sftp_escape_path(options_.remote_dir));
    Download d;
    d.text = &listing;
    curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(c.h, CURLOPT_ERRORBUFFER, errbuf);
    if (auto rc = curl_easy_perform(c.h); rc != CURLE_OK) return problem_of(rc, errbuf);
  }

  FetchReport report;
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] != '-') continue;
    // The name is what follows the eighth field (it may itself hold blanks).
    std::size_t at = 0;
    for (int field = 0; field < 8 && at != std::string::npos; ++field) {
      at = line.find_first_not_of(' ', at);
      at = at == std::string::npos ? at : line.find(' ', at);
    }
    if (at == std::string::npos) continue;
    std::string name = line.substr(line.find_first_not_of(' ', at));
    if (name.empty() || name == "." || name == ".." || name.front() == '.' || name.find('/') != std::string::npos) continue;
    if (name.ends_with(".part") || name.ends_with(".tmp")) continue;  // still being written on the server
    const fs::path part = inbox / (name + ".part");
    const fs::path final_path = inbox / name;
    if (fs::exists(final_path)) continue;  // fetched before, not yet imported
    CurlHandle c;
    char errbuf[CURL_ERROR_SIZE] = {};
    setup(c.h, base + sftp_escape_path(options_.remote_dir + name));
    std::FILE* f = std::fopen(part.c_str(), "wb");
    if (!f) return Problem{"SFTP_LOCAL", part.string(), "cannot write to the inbox"};
    Download d;
    d.file = f;
    d.limit = options_.max_file_bytes;
    curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &d);
    curl_easy_setopt(c.h, CURLOPT_ERRORBUFFER, errbuf);
    // After a complete download: delete the remote file, or move it out of the way.
    curl_slist* after = nullptr;
    const std::string remote = options_.remote_dir + name;
    if (options_.after_download == "move") after = curl_slist_append(after, ("rename \"" + remote + "\" \"" + options_.move_to + name + "\"").c_str());
    else after = curl_slist_append(after, ("rm \"" + remote + "\"").c_str());
    curl_easy_setopt(c.h, CURLOPT_POSTQUOTE, after);
    const auto rc = curl_easy_perform(c.h);
    curl_slist_free_all(after);
    std::fclose(f);
    if (rc == CURLE_QUOTE_ERROR) {
      // Downloaded whole but not removed remotely: keep it; the next fetch finds it in the inbox
      // or archive and the import is idempotent.
      report.problems.push_back("SFTP_CLEANUP " + where + name + ": " + errbuf);
    } else if (rc != CURLE_OK) {
      std::error_code ec;
      fs::remove(part, ec);
      if (rc == CURLE_REMOTE_ACCESS_DENIED || rc == CURLE_REMOTE_FILE_NOT_FOUND) continue;  // a folder, or gone meanwhile
      if (d.limit && d.bytes > d.limit) {
        report.problems.push_back("SFTP_TOO_LARGE " + where + name + ": over " + std::to_string(d.limit) + " bytes, left on the server");
        continue;
      }
      return problem_of(rc, errbuf);
    }
    std::error_code ec;
    fs::rename(part, final_path, ec);
    if (ec) return Problem{"SFTP_LOCAL", final_path.string(), ec.message()};
    report.fetched.push_back(name);
  }
  return report;
}

}  // namespace arcd::connectors
