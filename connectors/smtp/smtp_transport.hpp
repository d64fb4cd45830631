#pragma once
// Sends mail by SMTP through libcurl: STARTTLS (required unless tls = "none") or implicit TLS
// (smtps://), AUTH from config secrets, a multipart/alternative text + HTML message with
// quoted-printable parts and an RFC 2047 encoded subject.
//
// What the server said decides what the outbox does next: a 5xx reply (a recipient refused,
// the message rejected) is `rejected`, a 4xx or a failure to connect is `transient`, anything
// that breaks after the message may have gone through is `unknown`.

#include <string>

#include "arcd/mail.hpp"

namespace arcd::connectors {

struct SmtpSettings {
  std::string url;               // smtp://host:587 or smtps://host:465
  std::string tls = "starttls";  // starttls (required), implicit (smtps://) or none (loopback tests only)
  std::string username;
  std::string password;          // a secret: never logged
  std::string ca_file;
  bool verify_tls = true;
  int timeout_seconds = 30;
};

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings s) : s_(std::move(s)) {}
  MailResult send(const MailMessage& m) override;

 private:
  SmtpSettings s_;
};

// "Name <a@b>" -> "a@b"; a bare address is returned as it is.
std::string mail_address(const std::string& mailbox);
// RFC 2047 B-encoding for a header value that is not plain ASCII.
std::string encode_header(const std::string& value);

}  // namespace arcd::connectors
