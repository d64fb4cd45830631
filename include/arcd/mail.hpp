#pragma once
// Email out: a message as arcd composes it, and the transport that delivers it (SMTP in
// connectors/smtp). The transport reports what the server said in terms the outbox can act
// on: sent, try again later, refused for good (a bounce at submission), or unknown (the
// connection broke after the message may have been accepted: never resent automatically).

#include <string>
#include <vector>

namespace arcd {

struct MailMessage {
  std::string from;                     // "Accounts Receivable <ar@example.com>"
  std::string reply_to;
  std::vector<std::string> to;          // plain addresses
  std::string subject;                  // UTF-8; encoded for the header by the transport
  std::string text, html;               // the two alternatives, UTF-8
  std::string message_id;               // "<comm-17.2026-11-24@arcd.invalid>"
};

enum class MailOutcome { sent, transient, rejected, unknown };
std::string_view to_string(MailOutcome o) noexcept;

struct MailResult {
  MailOutcome outcome = MailOutcome::sent;
  long smtp_code = 0;                   // the server's last reply code, 0 when none
  std::string detail;                   // what went wrong, safe to log (no credentials)
  bool recipient_refused = false;       // rejected at RCPT: the address is bad, not the message
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual MailResult send(const MailMessage& m) = 0;
};

}  // namespace arcd
