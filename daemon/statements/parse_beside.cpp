#include "statements/parse_beside.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "mapping/statement_format.hpp"

namespace arcd::statements {
namespace {

constexpr std::size_t kBatch = 256;       // events per hand-over: one lock per batch, not per entry
constexpr std::size_t kMaxWaiting = 8;    // batches parsed ahead of the writer at most

struct Event {
  enum class Kind { begin, entry, end } kind;
  Statement statement;  // begin and end
  Entry entry;
};

// Batches from the parser's thread to the writer's, bounded.
class Channel {
 public:
  // False when the writer gave up: the parser should stop.
  bool push(std::vector<Event>&& batch) {
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return waiting_.size() < kMaxWaiting || cancelled_; });
    if (cancelled_) return false;
    waiting_.push_back(std::move(batch));
    cv_.notify_all();
    return true;
  }
  void close() {
    std::lock_guard lock(m_);
    closed_ = true;
    cv_.notify_all();
  }
  // False once the parser closed the channel and everything was taken.
  bool pop(std::vector<Event>& out) {
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return !waiting_.empty() || closed_; });
    if (waiting_.empty()) return false;
    out = std::move(waiting_.front());
    waiting_.pop_front();
    cv_.notify_all();
    return true;
  }
  void cancel() {
    std::lock_guard lock(m_);
    cancelled_ = true;
    waiting_.clear();
    cv_.notify_all();
  }
  // A batch the writer is done with goes back to the parser, which fills it again: its
  // entries' strings keep their buffers, so the parser copies into them without a malloc()
  // and the writer frees nothing.
  void give_back(std::vector<Event>&& batch) {
    std::lock_guard lock(m_);
    if (spare_.size() < kMaxWaiting) spare_.push_back(std::move(batch));
  }
  std::vector<Event> take_spare() {
    std::lock_guard lock(m_);
    if (spare_.empty()) return {};
    auto batch = std::move(spare_.back());
    spare_.pop_back();
    return batch;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::vector<Event>> waiting_;
  std::vector<std::vector<Event>> spare_;
  bool closed_ = false;
  bool cancelled_ = false;
};

struct Stopped {};  // unwinds the parser when the writer gave up

class ForwardingSink final : public mapping::StatementSink {
 public:
  explicit ForwardingSink(Channel& channel) : channel_(channel) { batch_.reserve(kBatch); }
  void begin_statement(const Statement& s) override {
    Event& slot = next_slot(Event::Kind::begin);
    slot.statement = s;
    done_with_slot();
  }
  void entry(const Entry& e) override {
    Event& slot = next_slot(Event::Kind::entry);
    slot.entry = e;  // into the buffers of an entry the writer gave back, when there is one
    done_with_slot();
  }
  void end_statement(const Statement& s) override {
    Event& slot = next_slot(Event::Kind::end);
    slot.statement = s;
    done_with_slot();
  }
  void flush() {
    if (used_ == 0) return;
    batch_.resize(used_);  // only ever shorter for the last batch
    if (!channel_.push(std::move(batch_))) throw Stopped{};
    batch_ = channel_.take_spare();
    used_ = 0;
    if (batch_.capacity() < kBatch) batch_.reserve(kBatch);
  }

 private:
  Event& next_slot(Event::Kind kind) {
    if (used_ == batch_.size()) batch_.emplace_back();
    Event& slot = batch_[used_++];
    slot.kind = kind;
    return slot;
  }
  void done_with_slot() {
    if (used_ >= kBatch) flush();
  }
  Channel& channel_;
  std::vector<Event> batch_;  // events [0, used_) are this batch's; the rest wait to be reused
  std::size_t used_ = 0;
};

void deliver(Event& e, mapping::StatementSink& sink) {
  switch (e.kind) {
    case Event::Kind::begin: sink.begin_statement(e.statement); break;
    // The sink may take the entry's contents; the parser assigns the slot anew either way.
    case Event::Kind::entry: sink.take_entry(std::move(e.entry)); break;
    case Event::Kind::end: sink.end_statement(e.statement); break;
  }
}

}  // namespace

Result<mapping::ParseSummary> parse_beside(std::string_view bytes, std::string_view file_name, mapping::StatementSink& sink,
                                           const mapping::StatementParseOptions& options) {
  Channel channel;
  std::optional<Result<mapping::ParseSummary>> parsed;
  std::exception_ptr parser_failed;
  // The parser and the writer already keep two cores busy: entry-reading workers on top only
  // contend with the writer (a 100k-entry camt import measured 5-8 % slower with them).
  mapping::StatementParseOptions parse_options = options;
  if (parse_options.parse_workers < 0) parse_options.parse_workers = 0;
  std::thread parser([&] {
    try {
      ForwardingSink forward(channel);
      auto r = mapping::parse_statement_file(bytes, file_name, forward, parse_options);
      if (r) forward.flush();  // after a problem the rest is moot: the writer discards it all
      parsed.emplace(std::move(r));
    } catch (const Stopped&) {
    } catch (...) {
      parser_failed = std::current_exception();
    }
    channel.close();
  });
  try {
    std::vector<Event> batch;
    while (channel.pop(batch)) {
      for (auto& e : batch) deliver(e, sink);
      channel.give_back(std::move(batch));
    }
  } catch (...) {
    channel.cancel();
    parser.join();
    throw;
  }
  parser.join();
  if (parser_failed) std::rethrow_exception(parser_failed);
  return std::move(*parsed);
}

}  // namespace arcd::statements
