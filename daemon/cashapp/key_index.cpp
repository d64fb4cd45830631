#include "cashapp/key_index.hpp"

#include <algorithm>
#include <functional>

#include "arcd/error.hpp"

namespace arcd::cashapp {

std::size_t KeyIndex::slot_of(std::string_view key, std::uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint32_t k = slots_[s];
    if (k == kNone) return s;
    const Key& stored = keys_[k];
    if (stored.hash == hash && std::string_view(text_).substr(stored.text_offset, stored.text_size) == key) return s;
  }
}

void KeyIndex::grow() {
  // Kept at most half full, so a probe for an absent key ends after a step or two.
  std::vector<std::uint32_t> bigger(std::max<std::size_t>(1024, slots_.size() * 2), kNone);
  const std::size_t mask = bigger.size() - 1;
  for (std::uint32_t k = 0; k < keys_.size(); ++k) {
    std::size_t s = keys_[k].hash & mask;
    while (bigger[s] != kNone) s = (s + 1) & mask;
    bigger[s] = k;
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
  if (slots_[s] == kNone) {
    slots_[s] = static_cast<std::uint32_t>(keys_.size());
    keys_.push_back({hash, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(key.size()), kNone});
    text_.append(key);
  }
  Key& k = keys_[slots_[s]];
  ids_.push_back({id, k.first_id});
  k.first_id = static_cast<std::uint32_t>(ids_.size() - 1);
}

std::vector<std::int64_t> KeyIndex::find(std::string_view key) const {
  std::vector<std::int64_t> out;
  if (slots_.empty()) return out;
  const std::uint32_t k = slots_[slot_of(key, std::hash<std::string_view>{}(key))];
  if (k == kNone) return out;
  for (std::uint32_t i = keys_[k].first_id; i != kNone; i = ids_[i].next) out.push_back(ids_[i].id);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace arcd::cashapp
