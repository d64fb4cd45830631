#include "cashapp/key_index.hpp"

#include <algorithm>
#include <functional>

#include "arcd/error.hpp"

namespace arcd::cashapp {

namespace {
std::uint64_t tag_of(std::uint64_t hash) { return hash >> 32 << 32; }
}  // namespace

std::size_t KeyIndex::slot_of(std::string_view key, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const std::uint64_t tag = tag_of(hash);
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint64_t slot = slots_[s];
    if (slot == kEmpty) return s;
    if (tag_of(slot) != tag) continue;
    const Key& stored = keys_[slot & 0xffffffffu];
    if (stored.hash == hash && std::string_view(text_).substr(stored.text_offset, stored.text_size) == key) return s;
  }
}

void KeyIndex::grow() {
  // Kept at most half full, so a probe for an absent key ends after a step or two.
  std::vector<std::uint64_t> bigger(std::max<std::size_t>(1024, slots_.size() * 2), kEmpty);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t k = 0; k < keys_.size(); ++k) {
    std::size_t s = keys_[k].hash & mask;
    while (bigger[s] != kEmpty) s = (s + 1) & mask;
    bigger[s] = tag_of(keys_[k].hash) | k;
  }
  slots_ = std::move(bigger);
}

void KeyIndex::add(std::string_view key, std::int64_t id) {
  if (text_.size() + key.size() > 0xffffffffu || ids_.size() >= kNone - 1) {
    throw Error("CASHAPP_INDEX_FULL", "the matching index holds more keys than it can address");
  }
  if ((keys_.size() + 1) * 2 > slots_.size()) grow();
  const std::uint64_t hash = std::hash<std::string_view>{}(key);
  const std::size_t s = slot_of(key, hash);
  if (slots_[s] == kEmpty) {
    slots_[s] = tag_of(hash) | keys_.size();
    keys_.push_back({hash, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(key.size()), kNone});
    text_.append(key);
  }
  Key& k = keys_[slots_[s] & 0xffffffffu];
  ids_.push_back({id, k.first_id});
  k.first_id = static_cast<std::uint32_t>(ids_.size() - 1);
}

std::vector<std::int64_t> KeyIndex::find(std::string_view key) const {
  std::vector<std::int64_t> out;
  if (slots_.empty()) return out;
  const std::uint64_t slot = slots_[slot_of(key, std::hash<std::string_view>{}(key))];
  if (slot == kEmpty) return out;
  for (std::uint32_t i = keys_[slot & 0xffffffffu].first_id; i != kNone; i = ids_[i].next) out.push_back(ids_[i].id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace arcd::cashapp
