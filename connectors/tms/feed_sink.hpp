#pragma once
// Where an inflow feed goes: a treasury system's HTTPS endpoint (the arcd JSON feed, signed),
// a folder its file import reads, or an SFTP server it collects from. One feed is one request
// or one file named after the feed id, so delivering the same feed twice (a retry after a crash
// between sending and recording) is harmless: the receiver upserts, the file is replaced.
// Failures throw ErpError: transient (network, timeout, 5xx, 408, 429 with Retry-After, a
// file system or SFTP error), auth (401/403) or rejected (any other 4xx: the receiver refuses
// the content and will keep refusing it). Blocking: run on a worker.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "arcd/clock.hpp"
#include "connectors/http_client.hpp"
#include "connectors/sftp_fetcher.hpp"
#include "mapping/tms/inflow_feed.hpp"

namespace arcd::connectors {

struct TmsTargetSettings {
  std::string name;                 // the destination is "tms:<name>"
  std::string transport = "https";  // https, folder, sftp
  // The body: "json" (the arcd feed; the only one over HTTPS), or a file layout: "csv",
  // "kyriba", "coupa", "treasury-systems".
  std::string layout = "json";
  HttpSettings http;                // https: base_url is the full endpoint URL
  std::string secret;               // https: the HMAC key (a secret)
  std::filesystem::path folder;     // folder
  std::optional<SftpOptions> sftp;  // sftp: remote_dir is where files go
  std::string file_prefix = "arcd-inflows";
  int every_minutes = 60;           // a snapshot on this schedule ...
  bool after_cash_application = true;  // ... and after every cash application that applied something
};

// The file a feed becomes: "<prefix>-<feed id>.<json|csv>".
std::string feed_file_name(const TmsTargetSettings& s, const mapping::tms::Feed& feed);
// The bytes of the feed in the target's layout.
std::string feed_body(const TmsTargetSettings& s, const mapping::tms::Feed& feed);

class FeedSink {
 public:
  virtual ~FeedSink() = default;
  // Returns what the receiver said (its id for the feed, a file path): kept with the event.
  virtual std::string deliver(const mapping::tms::Feed& feed) = 0;
};

// Throws arcd::Error CFG_RANGE when the settings cannot work (an unknown transport or layout).
std::unique_ptr<FeedSink> make_feed_sink(const TmsTargetSettings& s, std::shared_ptr<const Clock> clock);

}  // namespace arcd::connectors
