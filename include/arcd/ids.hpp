#pragma once
// Tagged ids: an InvoiceId cannot be passed where a CustomerId is expected.

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace arcd {

template <class Tag>
class Id {
 public:
  constexpr Id() noexcept = default;
  explicit constexpr Id(std::int64_t v) noexcept : value_(v) {}
  constexpr std::int64_t value() const noexcept { return value_; }
  constexpr bool valid() const noexcept { return value_ > 0; }
  std::string to_string() const { return std::to_string(value_); }
  friend constexpr auto operator<=>(const Id&, const Id&) = default;

 private:
  std::int64_t value_ = 0;  // 0: not stored yet
};

using CustomerId = Id<struct CustomerTag>;
using InvoiceId = Id<struct InvoiceTag>;
using StatementId = Id<struct StatementTag>;
using EntryId = Id<struct EntryTag>;
using ApplicationId = Id<struct ApplicationTag>;
using PtpId = Id<struct PtpTag>;
using DisputeId = Id<struct DisputeTag>;
using HoldId = Id<struct HoldTag>;
using ActivityId = Id<struct ActivityTag>;
using TaskId = Id<struct TaskTag>;
using OutboxEventId = Id<struct OutboxEventTag>;
using AuditRecordId = Id<struct AuditRecordTag>;

}  // namespace arcd

template <class Tag>
struct std::hash<arcd::Id<Tag>> {
  std::size_t operator()(const arcd::Id<Tag>& id) const noexcept { return std::hash<std::int64_t>{}(id.value()); }
};
