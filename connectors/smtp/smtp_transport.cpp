#include "connectors/smtp/smtp_transport.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <vector>

namespace arcd::connectors {
namespace {

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void append(Slist& list, const std::string& s) { list.reset(curl_slist_append(list.release(), s.c_str())); }

std::string rfc5322_date() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

bool plain_ascii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c < 0x20) return false;
  return true;
}

}  // namespace

std::string mail_address(const std::string& mailbox) {
  const auto lt = mailbox.find('<');
  const auto gt = mailbox.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) return mailbox.substr(lt + 1, gt - lt - 1);
  return mailbox;
}

std::string encode_header(const std::string& value) {
  if (plain_ascii(value)) return value;
  std::vector<unsigned char> out(4 * ((value.size() + 2) / 3) + 1);
  const int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(value.data()), static_cast<int>(value.size()));
  return "=?UTF-8?B?" + std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n)) + "?=";
}

MailResult SmtpTransport::send(const MailMessage& m) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {MailOutcome::transient, 0, "cannot start libcurl"};
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, s_.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(s_.timeout_seconds));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(s_.timeout_seconds, 30)));
  if (s_.tls == "starttls") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, s_.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, s_.verify_tls ? 2L : 0L);
  if (!s_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, s_.ca_file.c_str());
  if (!s_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, s_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, s_.password.c_str());
  }
  const std::string from = "<" + mail_address(m.from) + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  Slist rcpt;
  std::string to_header;
  for (const auto& a : m.to) {
    append(rcpt, "<" + mail_address(a) + ">");
    to_header += (to_header.empty() ? "" : ", ") + a;
  }
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());

  Slist headers;
  append(headers, "Date: " + rfc5322_date());
  append(headers, "From: " + m.from);
  append(headers, "To: " + to_header);
  if (!m.reply_to.empty()) append(headers, "Reply-To: " + m.reply_to);
  append(headers, "Subject: " + encode_header(m.subject));
  append(headers, "Message-ID: " + m.message_id);
  append(headers, "Auto-Submitted: auto-generated");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  // multipart/mixed { multipart/alternative { text/plain, text/html } }, as libcurl builds it.
  std::unique_ptr<curl_mime, decltype(&curl_mime_free)> mime(curl_mime_init(c), curl_mime_free);
  curl_mime* alt = curl_mime_init(c);
  curl_mimepart* text = curl_mime_addpart(alt);
  curl_mime_data(text, m.text.data(), m.text.size());
  curl_mime_type(text, "text/plain; charset=utf-8");
  curl_mime_encoder(text, "quoted-printable");
  curl_mimepart* html = curl_mime_addpart(alt);
  curl_mime_data(html, m.html.data(), m.html.size());
  curl_mime_type(html, "text/html; charset=utf-8");
  curl_mime_encoder(html, "quoted-printable");
  curl_mimepart* body = curl_mime_addpart(mime.get());
  curl_mime_subparts(body, alt);  // the part owns `alt` from here
  curl_mime_type(body, "multipart/alternative");
  Slist part_headers;
  append(part_headers, "Content-Disposition: inline");
  curl_mime_headers(body, part_headers.release(), 1);
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());

  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  if (rc == CURLE_OK) return {MailOutcome::sent, code, ""};
  std::string detail = std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
  // Credentials refused (530, 534, 535) is our configuration, not the message: try again later.
  if (rc == CURLE_LOGIN_DENIED || code == 530 || code == 534 || code == 535) return {MailOutcome::transient, code, detail};
  if (code >= 500 && code < 600) {
    // libcurl names the command that failed: "RCPT failed: 550".
    return {MailOutcome::rejected, code, detail, detail.find("RCPT") != std::string::npos};
  }
  if (code >= 400 && code < 500) return {MailOutcome::transient, code, detail};
  switch (rc) {
    // Nothing reached the server: safe to try again.
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
      return {MailOutcome::transient, code, detail};
    default:
      return {MailOutcome::unknown, code, detail};
  }
}

}  // namespace arcd::connectors
