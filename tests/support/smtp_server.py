#!/usr/bin/python3
"""A real SMTP server for arcd's mail tests (Debian's python3-aiosmtpd) on 127.0.0.1.

Usage: smtp_server.py PORT OUT_DIR [USER PASSWORD]
Each accepted message is written to OUT_DIR/<n>.json as it arrived, parsed with Python's
email package: envelope sender and recipients, the decoded subject, the text and HTML parts,
the Message-ID. Recipients containing "bounce" are refused at RCPT with 550, containing
"tempfail" with 451. With USER and PASSWORD, AUTH is required (without TLS: loopback only).
Writes OUT_DIR/ready once listening.
"""
import json
import os
import sys
import time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "bounce" in address:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if "tempfail" in address:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "to": str(msg["to"]),
            "from": str(msg["from"]),
            "message_id": str(msg["message-id"]),
            "text": text.get_content() if text else "",
            "html": html.get_content() if html else "",
            "authenticated": bool(session.authenticated),
        }
        path = os.path.join(self.out_dir, "%04d.json" % self.count)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def main():
    port, out_dir = int(sys.argv[1]), sys.argv[2]
    user = sys.argv[3] if len(sys.argv) > 3 else None
    password = sys.argv[4] if len(sys.argv) > 4 else None

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok)

    kwargs = {}
    if user:
        kwargs = dict(authenticator=authenticator, auth_require_tls=False, auth_required=True)
    controller = Controller(Handler(out_dir), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    with open(os.path.join(out_dir, "ready"), "w") as f:
        f.write("ready\n")
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
