#pragma once
// Text keys to ids, many ids per key, for the matching index: the invoice number keys and
// payment references of every open invoice (two or three keys each, millions in all). Held
// in a few flat arrays instead of a node-based multimap: a lookup is one probe into a table
// of integers and one comparison of the stored key, where a multimap of strings cost a chain
// of cache misses per lookup and two allocations per key (a sixth of a 1M-invoice run).
// Keys are only ever added; ids that stopped mattering (a paid invoice) are filtered by the
// caller.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arcd::cashapp {

class KeyIndex {
 public:
  void add(std::string_view key, std::int64_t id);
  // The ids added under `key`, each once per add, in ascending order.
  std::vector<std::int64_t> find(std::string_view key) const;
  bool empty() const { return keys_.empty(); }
  std::size_t key_count() const { return keys_.size(); }

 private:
  struct Key {
    std::uint64_t hash;
    std::uint32_t text_offset;  // into text_
    std::uint32_t text_size;
    std::uint32_t first_id;     // into ids_, the newest of the key's chain
  };
  struct IdLink {
    std::int64_t id;
    std::uint32_t next;  // into ids_, kNone at the chain's end
  };
  static constexpr std::uint32_t kNone = 0xffffffffu;

  // The slot that holds `key`, or the empty slot where it belongs.
  std::size_t slot_of(std::string_view key, std::uint64_t hash) const;
  void grow();

  // Open addressing, linear probing: the high half of the key's hash over its index into keys_,
  // kEmpty when empty. Most lookups are of keys that are not there (every run of tokens in a
  // remittance text is tried): they end at the slot, without touching keys_ or text_.
  std::vector<std::uint64_t> slots_;
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::vector<Key> keys_;
  std::vector<IdLink> ids_;
  std::string text_;
};

}  // namespace arcd::cashapp
