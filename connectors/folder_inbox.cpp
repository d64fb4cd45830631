#include "connectors/folder_inbox.hpp"

#include <algorithm>

#include "connectors/file_util.hpp"

namespace arcd::connectors {
namespace fs = std::filesystem;

namespace {

bool is_candidate(const fs::directory_entry& e) {
  if (!e.is_regular_file()) return false;
  const auto name = e.path().filename().string();
  // Markers, hidden and partial files are never invoices.
  return !name.starts_with('.') && !name.ends_with(".done") && !name.ends_with(".tmp") && !name.ends_with(".part");
}

std::vector<fs::path> list_sorted(const fs::path& dir) {
  std::vector<std::pair<fs::file_time_type, fs::path>> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (is_candidate(e)) found.emplace_back(e.last_write_time(ec), e.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

}  // namespace

FolderInbox::FolderInbox(FolderInboxOptions options) : options_(std::move(options)) {
  for (const auto* dir : {&options_.inbox, &options_.processing, &options_.archive, &options_.quarantine}) {
    std::error_code ec;
    fs::create_directories(*dir, ec);
    if (ec) throw Error("INBOX_CONFIG", "cannot create folder " + dir->string() + ": " + ec.message());
  }
}

bool FolderInbox::ready(const fs::path& file, Instant now) const {
  std::error_code ec;
  if (fs::exists(file.string() + ".done", ec)) return true;
  const auto mtime = fs::last_write_time(file, ec);
  if (ec) return false;
  const auto mtime_sys = std::chrono::file_clock::to_sys(mtime);
  return now - std::chrono::floor<std::chrono::seconds>(mtime_sys) >= options_.stable_for;
}

std::vector<FileOutcome> FolderInbox::poll(const FileHandler& import, Instant now) {
  std::vector<FileOutcome> outcomes;
  // Leftovers first: a crash between claim and archive leaves the file here.
  for (const auto& f : list_sorted(options_.processing)) outcomes.push_back(process(f, import, now));
  for (const auto& f : list_sorted(options_.inbox)) {
    if (!ready(f, now)) continue;
    fs::path claimed;
    try {
      claimed = move_into(f, options_.processing);
    } catch (const Error&) {
      continue;  // another poller claimed it first
    }
    std::error_code ec;
    fs::remove(f.string() + ".done", ec);
    outcomes.push_back(process(claimed, import, now));
  }
  return outcomes;
}

FileOutcome FolderInbox::process(const fs::path& claimed, const FileHandler& import, Instant now) {
  FileOutcome out;
  auto quarantine = [&](const Problem& p) {
    out.file = move_into(claimed, options_.quarantine);
    out.message = p.to_string();
    write_file_atomic(out.file.string() + ".error.txt", out.message + "\n");
    return out;
  };
  auto result = [&]() -> Result<std::string> {
    auto mapped = MappedFile::open(claimed, options_.max_file_bytes);
    if (!mapped) return mapped.problem();
    return import(claimed.filename().string(), mapped.value());
  }();  // unmapped here, before the file moves
  if (!result) return quarantine(result.problem());
  out.file = move_into(claimed, options_.archive / utc_date(now).to_string());
  out.imported = true;
  out.message = result.value();
  return out;
}

}  // namespace arcd::connectors
