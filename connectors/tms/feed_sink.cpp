#include "connectors/tms/feed_sink.hpp"

#include <algorithm>
#include <cstring>

#include "connectors/file_util.hpp"
#include "connectors/sftp_session.hpp"

namespace arcd::connectors {

std::string feed_file_name(const TmsTargetSettings& s, const mapping::tms::Feed& feed) {
  return s.file_prefix + "-" + feed.feed_id + (s.layout == "json" ? ".json" : ".csv");
}

std::string feed_body(const TmsTargetSettings& s, const mapping::tms::Feed& feed) {
  if (s.layout == "json") return mapping::tms::feed_json(feed);
  const auto layout = mapping::tms::parse_file_layout(s.layout);
  if (!layout) throw Error("CFG_RANGE", "tms." + s.name + ".layout: '" + s.layout + "' is not json, csv, kyriba, coupa or treasury-systems");
  return mapping::tms::feed_file(feed, *layout);
}

namespace {

// POST <url>, the JSON feed signed under the shared secret (mapping/tms sign_feed), with the
// feed id as the Idempotency-Key.
class HttpsFeedSink final : public FeedSink {
 public:
  HttpsFeedSink(TmsTargetSettings s, std::shared_ptr<const Clock> clock) : s_(std::move(s)), clock_(std::move(clock)), http_(s_.http) {}

  std::string deliver(const mapping::tms::Feed& feed) override {
    const std::string body = mapping::tms::feed_json(feed);
    // Signed now, not when queued: a receiver refuses timestamps more than minutes old, and a
    // feed may wait hours for a receiver that was down.
    const auto sig = mapping::tms::sign_feed(body, s_.secret, clock_->now());
    const auto r = http_.send("POST", s_.http.base_url, body,
                              {"Content-Type: application/json", "Accept: application/json", "X-Arcd-Timestamp: " + sig.timestamp,
                               "X-Arcd-Signature: " + sig.signature, "X-Arcd-Feed-Id: " + feed.feed_id, "Idempotency-Key: " + feed.feed_id});
    if (r.status >= 200 && r.status < 300) return r.header("x-request-id");
    const std::string what = "POST " + s_.http.base_url + " answered " + std::to_string(r.status) + ": " + snippet(r.body);
    if (r.status == 408) throw ErpError(ErpFailure::transient, what);
    throw ErpError(failure_for_status(r.status), what, retry_after_of(r));
  }

 private:
  TmsTargetSettings s_;
  std::shared_ptr<const Clock> clock_;
  HttpClient http_;
};

// The file written whole into the folder (temp + fsync + rename): the importer never sees half.
class FolderFeedSink final : public FeedSink {
 public:
  explicit FolderFeedSink(TmsTargetSettings s) : s_(std::move(s)) {}

  std::string deliver(const mapping::tms::Feed& feed) override {
    const auto path = s_.folder / feed_file_name(s_, feed);
    try {
      std::filesystem::create_directories(s_.folder);
      write_file_atomic(path, feed_body(s_, feed));
    } catch (const std::exception& e) {
      throw ErpError(ErpFailure::transient, "writing " + path.string() + ": " + e.what());
    }
    return path.string();
  }

 private:
  TmsTargetSettings s_;
};

struct Upload {
  const std::string* data;
  std::size_t at = 0;
};

std::size_t on_read(char* out, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t len = std::min(size * n, u->data->size() - u->at);
  std::memcpy(out, u->data->data() + u->at, len);
  u->at += len;
  return len;
}

// Uploaded as "<name>.part", then renamed on the server, so the collector never takes half a file.
class SftpFeedSink final : public FeedSink {
 public:
  explicit SftpFeedSink(TmsTargetSettings s) : s_(std::move(s)) {
    auto& dir = s_.sftp->remote_dir;
    if (dir.empty() || dir.back() != '/') dir += '/';
  }

  std::string deliver(const mapping::tms::Feed& feed) override {
    const auto& o = *s_.sftp;
    const std::string name = feed_file_name(s_, feed), body = feed_body(s_, feed);
    const std::string remote = o.remote_dir + name;
    CurlHandle c;
    char errbuf[CURL_ERROR_SIZE] = {};
    sftp_setup(c.h, o, sftp_base_url(o) + sftp_escape_path(remote + ".part"));
    Upload u{&body};
    curl_easy_setopt(c.h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c.h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(c.h, CURLOPT_READDATA, &u);
    curl_easy_setopt(c.h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c.h, CURLOPT_ERRORBUFFER, errbuf);
    // A feed sent again replaces its file: remove the old one first (rename will not overwrite
    // on every server); "*" lets that removal fail when there is none.
    curl_slist* after = nullptr;
    after = curl_slist_append(after, ("*rm \"" + remote + "\"").c_str());
    after = curl_slist_append(after, ("rename \"" + remote + ".part\" \"" + remote + "\"").c_str());
    curl_easy_setopt(c.h, CURLOPT_POSTQUOTE, after);
    const auto rc = curl_easy_perform(c.h);
    curl_slist_free_all(after);
    if (rc != CURLE_OK) {
      const auto p = sftp_problem(rc, errbuf, sftp_where(o) + name);
      throw ErpError(rc == CURLE_LOGIN_DENIED || rc == CURLE_PEER_FAILED_VERIFICATION ? ErpFailure::auth : ErpFailure::transient,
                     p.to_string());
    }
    return sftp_where(o) + name;
  }

 private:
  TmsTargetSettings s_;
};

}  // namespace

std::unique_ptr<FeedSink> make_feed_sink(const TmsTargetSettings& s, std::shared_ptr<const Clock> clock) {
  if (s.layout != "json" && !mapping::tms::parse_file_layout(s.layout))
    throw Error("CFG_RANGE", "tms." + s.name + ".layout: '" + s.layout + "' is not json, csv, kyriba, coupa or treasury-systems");
  if (s.transport == "https") {
    if (s.layout != "json") throw Error("CFG_RANGE", "tms." + s.name + ".layout: an https target takes the json feed");
    return std::make_unique<HttpsFeedSink>(s, std::move(clock));
  }
  if (s.transport == "folder") return std::make_unique<FolderFeedSink>(s);
  if (s.transport == "sftp" && s.sftp) return std::make_unique<SftpFeedSink>(s);
  throw Error("CFG_RANGE", "tms." + s.name + ".transport: '" + s.transport + "' is not https, folder or sftp (with its settings)");
}

}  // namespace arcd::connectors
