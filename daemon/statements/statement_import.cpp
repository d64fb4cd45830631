#include "statements/statement_import.hpp"

#include <boost/json.hpp>
#include <optional>
#include <set>

#include "mapping/statement_format.hpp"
#include "statements/parse_beside.hpp"
#include "statements/raw_file_pass.hpp"

namespace arcd::statements {
namespace json = boost::json;

std::string ImportReport::to_string() const {
  if (already_imported) return file_name + ": already imported (sha256 " + sha256.substr(0, 12) + "), nothing changed";
  return file_name + ": " + format + ", " + std::to_string(statements) + " statements, " + std::to_string(entries_new) +
         " new entries, " + std::to_string(entries_known) + " already known, " + std::to_string(entries_booked) +
         " now booked" + (warnings.empty() ? "" : ", " + std::to_string(warnings.size()) + " warnings");
}

std::string ImportReport::to_json() const {
  json::array w;
  for (const auto& x : warnings) w.push_back(json::value(x));
  return json::serialize(json::object{{"file", file_name},
                                      {"sha256", sha256},
                                      {"format", format},
                                      {"already_imported", already_imported},
                                      {"statements", statements},
                                      {"entries_new", entries_new},
                                      {"entries_known", entries_known},
                                      {"entries_booked", entries_booked},
                                      {"warnings", w}});
}

namespace {

// Writes what the parser delivers straight into the open transaction.
class StoreSink final : public mapping::StatementSink {
 public:
  // The statements get their file by attach_file() before the commit: the file's hash is known
  // only once the whole file has been read.
  StoreSink(Transaction& tx, ImportReport& report) : tx_(tx), report_(report) {}

  void begin_statement(const Statement& s) override {
    current_ = tx_.statements().insert(s);
    ours_.insert(current_.value());
    ++report_.statements;
  }

  void attach_file(const std::string& sha256) {
    for (const auto id : ours_) tx_.statements().set_file(StatementId(id), sha256);
  }

  void entry(const Entry& e) override { take_entry(Entry(e)); }

  void take_entry(Entry&& e) override {
    e.statement_id = current_;
    std::string key;  // the key as the bank's data made it, once it had to be told apart
    for (int occurrence = 1;; ++occurrence) {
      if (const auto id = tx_.entries().insert_unqueued_if_new(e)) {
        ++report_.entries_new;
        if (e.status == EntryStatus::booked) to_queue(*id);
        return;
      }
      auto existing = tx_.entries().find_by_key(e.entry_key);
      if (!existing) return;  // cannot happen inside our transaction; nothing to do
      if (ours_.count(existing->statement_id.value())) {
        // The same key twice in this very file: a distinct entry the bank described alike.
        if (key.empty()) key = e.entry_key;
        e.entry_key = key + "~" + std::to_string(occurrence + 1);
        continue;
      }
      if (existing->status == EntryStatus::pending && e.status == EntryStatus::booked) {
        tx_.entries().mark_booked(existing->id, e.booking_date);
        ++report_.entries_booked;
      } else {
        ++report_.entries_known;
      }
      return;
    }
  }

  void end_statement(const Statement& s) override {
    if (!s.warnings.empty()) tx_.statements().set_warnings(current_, s.warnings);
    queue_now();
  }

 private:
  // New booked entries wait for cash application (re-delivered ones already do), queued a run
  // of consecutive ids at a time.
  void to_queue(EntryId id) {
    if (queue_last_ && id.value() == queue_last_->value() + 1 && id.value() - queue_first_->value() < kQueueRun) {
      queue_last_ = id;
      return;
    }
    queue_now();
    queue_first_ = queue_last_ = id;
  }
  void queue_now() {
    if (queue_first_) tx_.entries().queue_booked(*queue_first_, *queue_last_);
    queue_first_.reset();
    queue_last_.reset();
  }
  static constexpr std::int64_t kQueueRun = 2048;
  std::optional<EntryId> queue_first_, queue_last_;

  Transaction& tx_;
  ImportReport& report_;
  StatementId current_;
  std::set<std::int64_t> ours_;
};

}  // namespace

Result<ImportReport> import_statement_file(Store& store, const std::string& file_name, std::string_view bytes,
                                           const mapping::StatementParseOptions& options, const Actor& actor) {
  ImportReport report;
  report.file_name = file_name;
  auto tx = store.begin();
  // A file of a size stored before may be a re-delivery: hash it first and stop early if so.
  // Any other file is new but for a race with another import, and is hashed beside the parse.
  if (tx->statements().has_raw_file_of_size(bytes.size())) {
    report.sha256 = sha256_hex(bytes);
    if (tx->statements().has_raw_file(report.sha256)) {
      report.already_imported = true;
      return report;
    }
  }
  RawFilePass raw(bytes, options.progress, report.sha256);
  mapping::StatementParseOptions parse_options = options;
  parse_options.progress = [&raw](std::size_t done) { raw.parser_at(done); };
  StoreSink sink(*tx, report);
  auto parsed = parse_beside(bytes, file_name, sink, parse_options);
  if (!parsed) return parsed.problem();  // the transaction rolls back: nothing of the file stays
  auto file = raw.finish();
  report.sha256 = file.sha256;
  // The raw file goes in last: written first, its many overflow pages would crowd the page
  // cache that the entry inserts need, and SQLite would spill and re-read for every entry.
  if (!tx->statements().store_raw_file_frames(report.sha256, file_name, bytes.size(), file.frames.size(),
                                              [&file](std::size_t i) { return file.frames.frame(i); })) {
    ImportReport again;  // another import stored the same bytes meanwhile: this one rolls back
    again.file_name = file_name;
    again.sha256 = report.sha256;
    again.already_imported = true;
    return again;
  }
  sink.attach_file(report.sha256);
  report.format = parsed.value().format;
  report.warnings = parsed.value().warnings;
  tx->audit().append({{}, {}, actor, "statement_file.imported", "raw_file", report.sha256, "imported " + file_name, report.to_json()});
  // The file's pages go from SQLite's log into the database file on the store's thread, while
  // the caller goes on (to the next file, or to cash application): a third of a large commit.
  tx->commit_without_checkpoint();
  store.checkpoint_soon();
  return report;
}

}  // namespace arcd::statements
