#pragma once
// The outbox event that carries a reminder email: the whole rendered message, written in the
// transaction that records the communication, so what is sent is exactly what was recorded.
// Destination "mail"; the idempotency key is the message id.

#include <string>

#include "arcd/mail.hpp"
#include "arcd/store.hpp"

namespace arcd::outbox {

inline constexpr const char* kMailDestination = "mail";
inline constexpr const char* kEmailReminder = "email.reminder";

void enqueue_mail(Transaction& tx, const MailMessage& m, std::int64_t communication_id, CustomerId customer);

struct MailEvent {
  MailMessage message;
  std::int64_t communication_id = 0;
  CustomerId customer;
};
// Throws arcd::Error OUTBOX_PAYLOAD naming what is wrong.
MailEvent parse_mail_event(const OutboxEvent& e);

}  // namespace arcd::outbox
