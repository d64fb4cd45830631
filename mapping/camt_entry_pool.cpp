#include "mapping/camt_entry_pool.hpp"

#include <algorithm>

namespace arcd::mapping {
namespace {

constexpr std::size_t kBatchEntries = 64;
// Batches handed off and not yet consumed before the caller waits: enough to keep every
// worker busy while the caller scans, few enough that memory does not grow with the file.
constexpr std::size_t kBatchesAhead = 8;

}  // namespace

// What a worker read: its entries are allocated by that worker and, when the block comes back
// to it, freed by it too. Freeing memory that another thread allocated takes the allocator's
// slow, locked path; with a dozen strings per entry that cost more than reading the entry.
struct CamtEntryPool::Results {
  std::vector<ParsedNtry> entries;
  Worker* owner = nullptr;
};

struct CamtEntryPool::Worker {
  std::unique_ptr<CamtEntryParser> parser;
  std::vector<std::unique_ptr<Results>> free;  // guarded by mutex_
};

struct CamtEntryPool::Batch {
  std::vector<CamtNtryPiece> pieces;
  Results* results = nullptr;  // set by the worker that read the batch
  bool done = false;           // guarded by mutex_
};

CamtEntryPool::CamtEntryPool(int workers, ParserFactory make_parser)
    : workers_(std::max(1, workers)), make_parser_(std::move(make_parser)), filling_(std::make_unique<Batch>()) {
  caller_ = std::make_unique<Worker>();
  caller_->parser = make_parser_();
}

CamtEntryPool::~CamtEntryPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    waiting_.clear();
  }
  work_ready_.notify_all();
  for (auto& t : threads_) t.join();
  for (auto& b : in_order_) delete b->results;  // read, never consumed (the file was refused)
}

void CamtEntryPool::add(const CamtNtryPiece& piece) {
  filling_->pieces.push_back(piece);
  if (filling_->pieces.size() >= kBatchEntries) submit();
}

void CamtEntryPool::submit() {
  if (filling_->pieces.empty()) return;
  while (static_cast<int>(threads_.size()) < workers_) {
    workers_running_.push_back(std::make_unique<Worker>());
    workers_running_.back()->parser = make_parser_();
    threads_.emplace_back([this, w = workers_running_.back().get()] { work(*w); });
  }
  Batch* b = filling_.get();
  b->results = nullptr;
  b->done = false;
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(b);
  }
  work_ready_.notify_one();
  in_order_.push_back(std::move(filling_));
  if (!spare_.empty()) {
    filling_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    filling_ = std::make_unique<Batch>();
  }
}

std::unique_ptr<CamtEntryPool::Results> CamtEntryPool::take_results(Worker& w) {
  if (!w.free.empty()) {
    auto r = std::move(w.free.back());
    w.free.pop_back();
    return r;
  }
  auto r = std::make_unique<Results>();
  r->owner = &w;
  return r;
}

void CamtEntryPool::read(Worker& w, Batch& b, std::unique_ptr<Results> results) {
  if (results->entries.size() < b.pieces.size()) results->entries.resize(b.pieces.size());
  for (std::size_t i = 0; i < b.pieces.size(); ++i) w.parser->parse(b.pieces[i], results->entries[i]);
  {
    std::lock_guard lock(mutex_);
    b.results = results.release();  // owned by the batch until it is consumed
    b.done = true;
  }
  batch_done_.notify_all();
}

void CamtEntryPool::work(Worker& w) {
  for (;;) {
    Batch* b = nullptr;
    std::unique_ptr<Results> results;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      b = waiting_.front();
      waiting_.pop_front();
      results = take_results(w);
    }
    read(w, *b, std::move(results));
  }
}

void CamtEntryPool::give_back(Batch& b) {
  std::unique_ptr<Results> results(b.results);
  b.results = nullptr;
  if (!results) return;
  std::lock_guard lock(mutex_);
  results->owner->free.push_back(std::move(results));
}

Result<bool> CamtEntryPool::consume_batch(Batch& b, const Consumer& consume) {
  for (std::size_t i = 0; i < b.pieces.size(); ++i) {
    auto ok = consume(b.results->entries[i]);
    if (!ok) return ok;
  }
  return true;
}

Result<bool> CamtEntryPool::deliver(bool all, const Consumer& consume) {
  if (all && !filling_->pieces.empty()) {
    if (threads_.empty() && in_order_.empty()) {
      // A statement smaller than a batch: read here, no thread started.
      Batch& b = *filling_;
      std::unique_ptr<Results> results;
      {
        std::lock_guard lock(mutex_);
        results = take_results(*caller_);
      }
      read(*caller_, b, std::move(results));
      auto ok = consume_batch(b, consume);
      give_back(b);
      b.pieces.clear();
      if (!ok) return ok;
    } else {
      submit();
    }
  }
  while (!in_order_.empty()) {
    Batch& front = *in_order_.front();
    {
      std::unique_lock lock(mutex_);
      while (!front.done) {
        if (!all && in_order_.size() < kBatchesAhead) return true;
        if (!waiting_.empty()) {
          // Rather than wait for the workers, read the oldest batch none has taken yet: the
          // caller's core is then never idle when reading is what holds things up.
          Batch* b = waiting_.front();
          waiting_.pop_front();
          auto results = take_results(*caller_);
          lock.unlock();
          read(*caller_, *b, std::move(results));
          lock.lock();
          continue;
        }
        batch_done_.wait(lock);
      }
    }
    auto ok = consume_batch(front, consume);
    // On a problem the batch stays where it is: the file is refused and the pool torn down.
    if (!ok) return ok;
    front.pieces.clear();
    give_back(front);
    spare_.push_back(std::move(in_order_.front()));
    in_order_.pop_front();
  }
  return true;
}

}  // namespace arcd::mapping
