#include "outbox/mail_events.hpp"

#include <boost/json.hpp>

#include "arcd/error.hpp"

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
  auto bad = [&](const std::string& what) -> Error {
    return Error("OUTBOX_PAYLOAD", "event " + e.id.to_string() + " (" + e.kind + "): " + what);
  };
  json::error_code ec;
  const json::value v = json::parse(e.payload, ec);
  if (ec || !v.is_object()) throw bad("payload is not a JSON object");
  const auto& o = v.get_object();
  auto str = [&](const char* k) -> std::string {
    const auto* f = o.if_contains(k);
    if (!f || !f->is_string()) throw bad(std::string("missing ") + k);
    return std::string(f->get_string());
  };
  auto num = [&](const char* k) -> std::int64_t {
    const auto* f = o.if_contains(k);
    if (!f || !f->is_int64()) throw bad(std::string("missing ") + k);
    return f->get_int64();
  };
  MailEvent m;
  m.communication_id = num("communication_id");
  m.customer = CustomerId(num("customer_id"));
  m.message.from = str("from");
  m.message.reply_to = str("reply_to");
  m.message.subject = str("subject");
  m.message.text = str("text");
  m.message.html = str("html");
  m.message.message_id = str("message_id");
  const auto* to = o.if_contains("to");
  if (!to || !to->is_array() || to->get_array().empty()) throw bad("no recipients");
  for (const auto& a : to->get_array()) {
    if (!a.is_string()) throw bad("a recipient is not a string");
    m.message.to.emplace_back(a.get_string());
  }
  return m;
}

}  // namespace arcd::outbox
