#pragma once
// A folder that other systems drop files into (ERP exports, bank statements). Each file is
// claimed by renaming it into a processing folder (atomic on one file system, so two pollers
// never take the same file), handed to a handler, then moved to archive/<YYYY-MM-DD>/ - or to
// quarantine/ with "<name>.error.txt" beside it naming what is wrong. A file still being
// written is left alone until its size and time have been stable for `stable_for`, or a
// "<name>.done" marker exists. Files left in processing/ by a crash are handled again on the
// next poll (handlers are idempotent). Blocking: run on the worker pool.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "arcd/date.hpp"
#include "arcd/error.hpp"
#include "connectors/mapped_file.hpp"

namespace arcd::connectors {

struct FolderInboxOptions {
  std::filesystem::path inbox;
  std::filesystem::path processing;
  std::filesystem::path archive;
  std::filesystem::path quarantine;
  std::chrono::seconds stable_for{5};
  std::size_t max_file_bytes = 256u << 20;
};

struct FileOutcome {
  std::filesystem::path file;  // where the file ended (archive or quarantine)
  bool imported = false;
  std::string message;         // the handler's summary or the problem
};

// Takes a file's name and its bytes, mapped rather than read (a 2 GB statement is never copied;
// handlers may release_before() what they have parsed). A Problem quarantines the file; an
// exception (a database that is down) leaves it in processing/ for the next poll and ends it.
using FileHandler = std::function<Result<std::string>(const std::string& name, MappedFile& file)>;

class FolderInbox {
 public:
  // Creates the folders. Throws arcd::Error INBOX_CONFIG when one cannot be made.
  explicit FolderInbox(FolderInboxOptions options);
  // One pass: leftovers in processing/ first, then the inbox, oldest file first.
  std::vector<FileOutcome> poll(const FileHandler& handle, Instant now);
  const FolderInboxOptions& options() const noexcept { return options_; }

 private:
  bool ready(const std::filesystem::path& file, Instant now) const;
  FileOutcome process(const std::filesystem::path& claimed, const FileHandler& handle, Instant now);
  FolderInboxOptions options_;
};

}  // namespace arcd::connectors
