#include "outbox/mail_events.hpp"

#include <boost/json.hpp>

#include "arcd/error.hpp"
#include "outbox/payload_reader.hpp"

namespace arcd::outbox {
namespace json = boost::json;

void enqueue_mail(Transaction& tx, const MailMessage& m, std::int64_t communication_id, CustomerId customer) {
  json::array to;
  for (const auto& a : m.to) to.emplace_back(a);
  json::object payload{{"communication_id", communication_id},
                       {"customer_id", customer.value()},
                       {"from", m.from},
                       {"reply_to", m.reply_to},
                       {"to", std::move(to)},
                       {"subject", m.subject},
                       {"text", m.text},
                       {"html", m.html},
                       {"message_id", m.message_id}};
  OutboxEvent e;
  e.destination = kMailDestination;
  e.kind = kEmailReminder;
  e.idempotency_key = std::string(kEmailReminder) + ":" + m.message_id;
  e.ordering_key = "";  // messages do not wait for one another
  e.payload = json::serialize(payload);
  tx.outbox().enqueue(e);
}

MailEvent parse_mail_event(const OutboxEvent& e) {
  const PayloadReader p(e);
  MailEvent m;
  m.communication_id = p.num("communication_id");
  m.customer = CustomerId(p.num("customer_id"));
  m.message.from = p.str("from");
  m.message.reply_to = p.str("reply_to");
  m.message.subject = p.str("subject");
  m.message.text = p.str("text");
  m.message.html = p.str("html");
  m.message.message_id = p.str("message_id");
  const auto* to = p.object().if_contains("to");
  if (!to || !to->is_array() || to->get_array().empty()) throw p.bad("no recipients");
  for (const auto& a : to->get_array()) {
    if (!a.is_string()) throw p.bad("a recipient is not a string");
    m.message.to.emplace_back(a.get_string());
  }
  return m;
}

}  // namespace arcd::outbox
