#pragma once
// A real SMTP server for tests: tests/support/smtp_server.py (Debian's python3-aiosmtpd) on a
// free loopback port, AUTH required (user "arcd", password "s3cret"), every accepted message
// written as JSON; recipients with "bounce" are refused with 550, with "tempfail" with 451.

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "connectors/smtp/smtp_transport.hpp"
#include "test_support.hpp"

namespace arcd::test {

int free_port();

class SmtpServer {
 public:
  SmtpServer();
  ~SmtpServer();
  // Transport settings that reach it (plain SMTP: a loopback test server has no certificate).
  connectors::SmtpSettings settings() const;
  // The messages received so far, oldest first: mail_from, rcpt_tos, subject, to, from,
  // message_id, text, html, authenticated.
  std::vector<boost::json::object> received() const;
  int port() const { return port_; }

 private:
  TempDir dir_;
  int port_;
  pid_t pid_ = 0;
};

}  // namespace arcd::test
