#pragma once
// Database ids to the places of their records in a run's index: open addressing over flat
// arrays, for the million open invoices of a large ledger. A node-based map spent an allocation
// and a chain of cache misses on each; loading them took a sixth of the index's time that way.
// Ids are only ever added.

#include <cstdint>
#include <optional>
#include <vector>

namespace arcd::cashapp {

class IdSlots {
 public:
  // The place stored for `id`, if any.
  std::optional<std::uint32_t> find(std::int64_t id) const;
  // The place stored for `id`; when there is none, stores `slot` and returns it. One probe,
  // where a find and then an add took two (a cache miss each, for a million invoices loaded).
  std::uint32_t find_or_add(std::int64_t id, std::uint32_t slot);
  std::size_t size() const { return size_; }

 private:
  std::size_t index_of(std::int64_t id) const;  // where `id` is, or the empty place it belongs
  void grow();

  struct Entry {
    std::int64_t id;  // kEmpty when free
    std::uint32_t slot;
  };
  static constexpr std::int64_t kEmpty = INT64_MIN;
  std::vector<Entry> table_;
  std::size_t size_ = 0;
};

// Records that keep their address while more are added (the run hands out pointers to them):
// chunks reserved to a fixed size and never filled beyond it, so never reallocated (moving a
// chunk's vector keeps its buffer).
template <class T>
class StableVector {
 public:
  std::uint32_t push_back(T value) {
    if (size_ % kChunk == 0) chunks_.emplace_back().reserve(kChunk);
    chunks_.back().push_back(std::move(value));
    return static_cast<std::uint32_t>(size_++);
  }
  T& operator[](std::uint32_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](std::uint32_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kChunk = 4096;
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace arcd::cashapp
