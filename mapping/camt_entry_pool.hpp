#pragma once
// Reads camt entries on worker threads while the caller goes on scanning the file, and hands
// them back in file order. Entries go in batches (a handoff per entry would cost more than
// some entries take to read); at most a few batches are ahead of the caller, so memory stays
// flat whatever the file's size. When that many are ahead, the caller reads the next waiting
// batch itself rather than wait, so both cores read when reading is the slower half. Threads
// start only once a statement has a full batch: small files are read on the caller's thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "arcd/error.hpp"
#include "mapping/camt_entry.hpp"

namespace arcd::mapping {

class CamtEntryPool {
 public:
  using ParserFactory = std::function<std::unique_ptr<CamtEntryParser>()>;
  using Consumer = std::function<Result<bool>(ParsedNtry&)>;

  // `workers` threads (at least one) read entries beside the caller.
  CamtEntryPool(int workers, ParserFactory make_parser);
  ~CamtEntryPool();  // workers finish the batch in hand and stop
  CamtEntryPool(const CamtEntryPool&) = delete;
  CamtEntryPool& operator=(const CamtEntryPool&) = delete;

  void add(const CamtNtryPiece& piece);
  // Hands every entry read so far to `consume`, in file order; with `all`, waits for every
  // entry added (and reads a batch that never filled on this thread). Stops at the first
  // problem `consume` returns.
  Result<bool> deliver(bool all, const Consumer& consume);

 private:
  struct Batch;
  struct Results;
  struct Worker;
  void submit();
  void work(Worker& w);
  std::unique_ptr<Results> take_results(Worker& w);  // under mutex_
  void read(Worker& w, Batch& b, std::unique_ptr<Results> results);
  Result<bool> consume_batch(Batch& b, const Consumer& consume);
  void give_back(Batch& b);

  int workers_;
  ParserFactory make_parser_;
  std::unique_ptr<Batch> filling_;
  std::deque<std::unique_ptr<Batch>> in_order_;     // handed off, oldest first
  std::vector<std::unique_ptr<Batch>> spare_;       // consumed, kept for their buffers
  std::mutex mutex_;
  std::condition_variable work_ready_, batch_done_;
  std::deque<Batch*> waiting_;                      // handed off, no worker yet
  bool stopping_ = false;
  std::vector<std::unique_ptr<Worker>> workers_running_;
  std::unique_ptr<Worker> caller_;  // the calling thread, when it reads (a small statement, or instead of waiting)
  std::vector<std::thread> threads_;
};

}  // namespace arcd::mapping
