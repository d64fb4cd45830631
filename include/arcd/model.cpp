#include "arcd/model.hpp"
#include "arcd/mail.hpp"

#include <array>
#include <utility>

namespace arcd {
namespace {

// One table per enum keeps the names in one place for both directions.
template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) noexcept {
  for (const auto& [e, n] : table)
    if (e == value) return n;
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) noexcept {
  for (const auto& [e, n] : table)
    if (n == s) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<InvoiceStatus, std::string_view>, 3> kInvoiceStatus{
    {{InvoiceStatus::open, "open"}, {InvoiceStatus::paid, "paid"}, {InvoiceStatus::cancelled, "cancelled"}}};
constexpr std::array<std::pair<Direction, std::string_view>, 2> kDirection{
    {{Direction::credit, "credit"}, {Direction::debit, "debit"}}};
constexpr std::array<std::pair<EntryStatus, std::string_view>, 3> kEntryStatus{
    {{EntryStatus::booked, "booked"}, {EntryStatus::pending, "pending"}, {EntryStatus::info, "info"}}};
constexpr std::array<std::pair<ApplicationKind, std::string_view>, 4> kApplicationKind{
    {{ApplicationKind::apply, "apply"},
     {ApplicationKind::unapply, "unapply"},
     {ApplicationKind::on_account, "on_account"},
     {ApplicationKind::not_customer, "not_customer"}}};
constexpr std::array<std::pair<PtpState, std::string_view>, 5> kPtpState{{{PtpState::open, "open"},
                                                                          {PtpState::kept, "kept"},
                                                                          {PtpState::partially_kept, "partially_kept"},
                                                                          {PtpState::broken, "broken"},
                                                                          {PtpState::cancelled, "cancelled"}}};
constexpr std::array<std::pair<OutboxStatus, std::string_view>, 4> kOutboxStatus{{{OutboxStatus::pending, "pending"},
                                                                                  {OutboxStatus::delivered, "delivered"},
                                                                                  {OutboxStatus::dead, "dead"},
                                                                                  {OutboxStatus::dropped, "dropped"}}};

constexpr std::array<std::pair<WriteoffState, std::string_view>, 3> kWriteoffState{
    {{WriteoffState::proposed, "proposed"}, {WriteoffState::approved, "approved"}, {WriteoffState::rejected, "rejected"}}};

}  // namespace

std::string_view to_string(InvoiceStatus s) noexcept { return name_of(kInvoiceStatus, s); }
std::optional<InvoiceStatus> parse_invoice_status(std::string_view s) noexcept { return value_of(kInvoiceStatus, s); }
std::string_view to_string(Direction d) noexcept { return name_of(kDirection, d); }
std::optional<Direction> parse_direction(std::string_view s) noexcept { return value_of(kDirection, s); }
std::string_view to_string(EntryStatus s) noexcept { return name_of(kEntryStatus, s); }
std::optional<EntryStatus> parse_entry_status(std::string_view s) noexcept { return value_of(kEntryStatus, s); }
std::string_view to_string(ApplicationKind k) noexcept { return name_of(kApplicationKind, k); }
std::optional<ApplicationKind> parse_application_kind(std::string_view s) noexcept {
  return value_of(kApplicationKind, s);
}
std::string_view to_string(PtpState s) noexcept { return name_of(kPtpState, s); }
std::optional<PtpState> parse_ptp_state(std::string_view s) noexcept { return value_of(kPtpState, s); }
std::string_view to_string(OutboxStatus s) noexcept { return name_of(kOutboxStatus, s); }
std::optional<OutboxStatus> parse_outbox_status(std::string_view s) noexcept { return value_of(kOutboxStatus, s); }

std::string_view to_string(MailOutcome o) noexcept {
  switch (o) {
    case MailOutcome::sent: return "sent";
    case MailOutcome::transient: return "transient";
    case MailOutcome::rejected: return "rejected";
    case MailOutcome::unknown: return "unknown";
  }
  return "?";
}

std::string_view to_string(WriteoffState s) noexcept { return name_of(kWriteoffState, s); }
std::optional<WriteoffState> parse_writeoff_state(std::string_view s) noexcept { return value_of(kWriteoffState, s); }

}  // namespace arcd
