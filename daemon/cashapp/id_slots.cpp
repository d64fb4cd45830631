#include "cashapp/id_slots.hpp"

#include <algorithm>

namespace arcd::cashapp {

namespace {
// Ids come consecutive: mixed, they spread over the table instead of filling one run of it.
std::uint64_t mix(std::int64_t id) {
  auto x = static_cast<std::uint64_t>(id);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}
}  // namespace

std::size_t IdSlots::index_of(std::int64_t id) const {
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = mix(id) & mask;; i = (i + 1) & mask) {
    if (table_[i].id == id || table_[i].id == kEmpty) return i;
  }
}

std::optional<std::uint32_t> IdSlots::find(std::int64_t id) const {
  if (table_.empty()) return std::nullopt;
  const Entry& e = table_[index_of(id)];
  if (e.id == kEmpty) return std::nullopt;
  return e.slot;
}

void IdSlots::grow() {
  // Kept at most half full, so a probe ends after a step or two.
  std::vector<Entry> old(std::max<std::size_t>(1024, table_.size() * 2), Entry{kEmpty, 0});
  old.swap(table_);
  for (const Entry& e : old) {
    if (e.id != kEmpty) table_[index_of(e.id)] = e;
  }
}

std::uint32_t IdSlots::find_or_add(std::int64_t id, std::uint32_t slot) {
  if ((size_ + 1) * 2 > table_.size()) grow();
  Entry& e = table_[index_of(id)];
  if (e.id == id) return e.slot;
  e = Entry{id, slot};
  ++size_;
  return slot;
}

}  // namespace arcd::cashapp
