#include "app/config.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/toml_reader.hpp"
#include "arcd/currency.hpp"
#include "cashapp/fx.hpp"
#include "arcd/error.hpp"
#include "arcd/version.hpp"
#include "mapping/rest/rest_mapping.hpp"
#include "arcd/store.hpp"
#include "store/database_url.hpp"

namespace arcd::app {

std::string toml_quote(const std::string& s);

namespace {

toml::table parse_file(const std::filesystem::path& path) {
  try {
    return toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw Error("CFG_PARSE", path.string() + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column) +
                                 ": " + std::string(e.description()));
  }
}

// "--set section.key=value": value in TOML syntax (42, true, "text", [1, 2]) or else a bare string.
void apply_override(toml::table& root, const std::string& assignment, std::set<std::string>& overridden) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error("CFG_OVERRIDE", "--set " + assignment + ": expected section.key=value");
  }
  const std::string dotted = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  const std::string origin = "--set " + dotted;
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value, origin);
  } catch (const toml::parse_error&) {
    parsed = toml::parse("v = " + toml_quote(value), origin);
  }
  std::vector<std::string> parts;
  std::stringstream ss(dotted);
  for (std::string p; std::getline(ss, p, '.');) {
    if (p.empty()) throw Error("CFG_OVERRIDE", origin + ": empty key segment");
    parts.push_back(p);
  }
  toml::table* t = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    auto* next = t->get(parts[i]);
    if (!next) next = t->insert(parts[i], toml::table{}).first->second.as_table();
    if (!next || !next->is_table()) throw Error("CFG_OVERRIDE", origin + ": " + parts[i] + " is not a table");
    t = next->as_table();
  }
  t->insert_or_assign(parts.back(), *parsed.get("v"));
  overridden.insert(dotted);
}

}  // namespace

std::string toml_quote(const std::string& s) {
  std::ostringstream out;
  out << toml::value<std::string>(s);
  return out.str();
}

namespace {

int to_int(std::optional<std::int64_t> v, int fallback) { return v ? static_cast<int>(*v) : fallback; }

DaemonSection read_daemon(TomlReader r) {
  DaemonSection d;
  if (auto v = r.string("log_level")) {
    r.one_of("log_level", *v, {"trace", "debug", "info", "warn", "error"});
    d.log_level = *v;
  }
  if (auto v = r.string("log_format")) {
    r.one_of("log_format", *v, {"plain", "json"});
    d.log_format = *v;
  }
  d.io_threads = to_int(r.integer("io_threads", 1, 64), d.io_threads);
  d.worker_threads = to_int(r.integer("worker_threads", 1, 256), d.worker_threads);
  d.worker_queue_limit = to_int(r.integer("worker_queue_limit", 1, 1000000), d.worker_queue_limit);
  d.shutdown_timeout_seconds = to_int(r.integer("shutdown_timeout_seconds", 1, 600), d.shutdown_timeout_seconds);
  r.finish();
  return d;
}

DatabaseSection read_database(TomlReader r) {
  DatabaseSection d;
  if (auto v = r.secret("url")) d.url = *v;
  d.pool_size = to_int(r.integer("pool_size", 1, 256), d.pool_size);
  d.busy_timeout_ms = to_int(r.integer("busy_timeout_ms", 0, 600000), d.busy_timeout_ms);
  r.finish();
  return d;
}

HttpSection read_http(TomlReader r) {
  HttpSection h;
  if (auto v = r.boolean("enabled")) h.enabled = *v;
  if (auto v = r.string("listen_address")) h.listen_address = *v;
  h.port = to_int(r.integer("port", 0, 65535), h.port);
  if (auto v = r.integer("body_limit_bytes", 1024, std::int64_t(4) << 30)) h.body_limit_bytes = static_cast<std::size_t>(*v);
  if (auto v = r.integer("header_limit_bytes", 1024, 1 << 20)) h.header_limit_bytes = static_cast<std::size_t>(*v);
  h.read_timeout_seconds = to_int(r.integer("read_timeout_seconds", 1, 3600), h.read_timeout_seconds);
  h.write_timeout_seconds = to_int(r.integer("write_timeout_seconds", 1, 3600), h.write_timeout_seconds);
  h.idle_timeout_seconds = to_int(r.integer("idle_timeout_seconds", 1, 3600), h.idle_timeout_seconds);
  h.max_requests_per_connection = to_int(r.integer("max_requests_per_connection", 1, 1000000), h.max_requests_per_connection);
  if (auto v = r.boolean("trust_proxy")) h.trust_proxy = *v;
  if (auto v = r.string("tls_cert_file")) h.tls_cert_file = *v;
  if (auto v = r.string("tls_key_file")) h.tls_key_file = *v;
  if (h.tls_cert_file.empty() != h.tls_key_file.empty())
    r.fail("CFG_RANGE", h.tls_cert_file.empty() ? "tls_cert_file" : "tls_key_file", "tls_cert_file and tls_key_file go together: give both or neither");
  h.token_cache_seconds = to_int(r.integer("token_cache_seconds", 0, 300), h.token_cache_seconds);
  h.response_cache_ms = to_int(r.integer("response_cache_ms", 0, 60000), h.response_cache_ms);
  r.finish();
  return h;
}

char single_char(TomlReader& r, const std::string& key, char fallback, bool allow_empty) {
  auto v = r.string(key);
  if (!v) return fallback;
  if (v->empty() && allow_empty) return '\0';
  if (v->size() != 1) r.fail("CFG_RANGE", key, "expected a single character");
  return (*v)[0];
}

// The keys every folder-based source has; processing defaults to "<inbox>.processing".
void read_file_source(TomlReader& r, const std::string& name, const char* what, std::int64_t max_bytes_limit,
                      FileSourceSection& f) {
  auto required_path = [&](const char* key) -> std::filesystem::path {
    auto v = r.string(key);
    if (!v) r.fail("CFG_MISSING_KEY", key, std::string("required for ") + what);
    if (v->empty()) r.fail("CFG_RANGE", key, "must not be empty");
    return *v;
  };
  f.name = name;
  f.inbox = required_path("inbox");
  f.archive = required_path("archive");
  f.quarantine = required_path("quarantine");
  if (auto v = r.string("processing")) f.processing = *v;
  else f.processing = f.inbox.parent_path() / (f.inbox.filename().string() + ".processing");
  f.poll_seconds = to_int(r.integer("poll_seconds", 1, 86400), f.poll_seconds);
  f.jitter_seconds = to_int(r.integer("jitter_seconds", 0, 3600), f.jitter_seconds);
  f.stable_seconds = to_int(r.integer("stable_seconds", 0, 3600), f.stable_seconds);
  if (auto v = r.integer("max_file_bytes", 1, max_bytes_limit)) f.max_file_bytes = static_cast<std::size_t>(*v);
}

CsvConnectorSection read_csv_connector(const std::string& name, TomlReader& r) {
  CsvConnectorSection c;
  read_file_source(r, name, "a csv connector", std::int64_t(16) << 30, c);
  c.csv.delimiter = single_char(r, "delimiter", ',', false);
  c.csv.amount_format.decimal_separator = single_char(r, "decimal_separator", '.', false);
  c.csv.amount_format.group_separator = single_char(r, "group_separator", '\0', true);
  if (c.csv.amount_format.decimal_separator == c.csv.amount_format.group_separator) {
    r.fail("CFG_RANGE", "group_separator", "must differ from decimal_separator");
  }
  if (auto cols = r.table("columns")) {
    for (const auto& key : cols->keys()) {
      if (!mapping::is_invoice_csv_column(key)) cols->fail("CFG_UNKNOWN_KEY", key, "not an invoice CSV column");
      auto header = cols->string(key);
      if (header->empty()) cols->fail("CFG_RANGE", key, "must not be empty");
      c.csv.column_names[key] = *header;
    }
    cols->finish();
  }
  r.finish();
  return c;
}

ErpConnectorSection read_erp_connector(const std::string& name, const std::string& type, TomlReader& r,
                                       const std::filesystem::path& config_dir) {
  ErpConnectorSection c;
  c.erp.name = name;
  c.erp.type = type;
  auto required = [&](const char* key, const std::string& why) {
    auto v = r.string(key);
    if (!v) r.fail("CFG_MISSING_KEY", key, "required for " + why);
    if (v->empty()) r.fail("CFG_RANGE", key, "must not be empty");
    return *v;
  };
  c.erp.http.base_url = required("url", "an ERP connector");
  if (c.erp.http.base_url.rfind("https://", 0) != 0 && c.erp.http.base_url.rfind("http://", 0) != 0) {
    r.fail("CFG_RANGE", "url", "must start with https:// (or http:// on a trusted network)");
  }
  if (auto v = r.boolean("verify_tls")) c.erp.http.verify_tls = *v;
  if (auto v = r.string("ca_file")) c.erp.http.ca_file = *v;
  c.erp.http.timeout = std::chrono::seconds(to_int(r.integer("timeout_seconds", 1, 3600), 30));
  c.erp.http.connect_timeout = std::chrono::seconds(to_int(r.integer("connect_timeout_seconds", 1, 600), 10));
  c.erp.http.user_agent = "arcd/" + std::string(kVersion);
  c.poll_seconds = to_int(r.integer("poll_seconds", 1, 86400), c.poll_seconds);
  c.jitter_seconds = to_int(r.integer("jitter_seconds", 0, 3600), c.jitter_seconds);
  c.page_size = to_int(r.integer("page_size", 1, 20000), c.page_size);
  c.overlap_seconds = to_int(r.integer("overlap_seconds", 0, 86400), c.overlap_seconds);
  c.full_sweep_hours = to_int(r.integer("full_sweep_hours", 1, 24 * 30), c.full_sweep_hours);
  if (auto v = r.boolean("push")) c.push = *v;
  if (type == "odoo") {
    auto& o = c.erp.odoo;
    if (auto v = r.string("protocol")) {
      r.one_of("protocol", *v, {"jsonrpc", "json2"});
      o.protocol = *v;
    }
    if (o.protocol == "jsonrpc") {
      o.database = required("database", "Odoo over JSON-RPC");
      o.login = required("login", "Odoo over JSON-RPC");
    } else if (auto v = r.string("database")) {
      o.database = *v;
    }
    auto key = r.secret("api_key");
    if (!key || key->empty()) r.fail("CFG_MISSING_KEY", "api_key", "required for Odoo (a secret: { env = ... } or { file = ... })");
    o.api_key = *key;
    if (auto v = r.integer("journal_id", 0, std::int64_t(1) << 40)) o.journal_id = *v;
    o.version = to_int(r.integer("version", 0, 99), 0);
    if (o.version != 0 && o.version < 16) r.fail("CFG_RANGE", "version", "Odoo 16 or later");
  }
  if (type == "erpnext") {
    auto& e = c.erp.erpnext;
    auto key = r.secret("api_key");
    if (!key || key->empty()) r.fail("CFG_MISSING_KEY", "api_key", "required for ERPNext (the user's API key)");
    e.api_key = *key;
    auto secret = r.secret("api_secret");
    if (!secret || secret->empty()) r.fail("CFG_MISSING_KEY", "api_secret", "required for ERPNext (a secret: { env = ... } or { file = ... })");
    e.api_secret = *secret;
    e.payment.company = required("company", "ERPNext payments");
    e.payment.paid_to = required("paid_to", "ERPNext payments (the bank account's ledger)");
    if (auto v = r.string("paid_from")) e.payment.paid_from = *v;
    e.payment.mode_of_payment = r.string("mode_of_payment").value_or("Wire Transfer");
  }
  if (type == "business_central") {
    auto& b = c.erp.business_central;
    b.token_url = required("token_url", "Business Central (https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token)");
    b.client_id = required("client_id", "Business Central");
    auto secret = r.secret("client_secret");
    if (!secret || secret->empty()) r.fail("CFG_MISSING_KEY", "client_secret", "required for Business Central (a secret)");
    b.client_secret = *secret;
    if (auto v = r.string("scope")) b.scope = *v;
    b.journal_id = required("journal_id", "Business Central payments (the customer payment journal's id)");
    b.local_currency = required("local_currency", "Business Central (what an empty currencyCode means)");
    if (!Currency::find(b.local_currency)) r.fail("CFG_RANGE", "local_currency", "not an ISO 4217 currency");
  }
  if (type == "rest") {
    auto& rest = c.erp.rest;
    std::filesystem::path file = required("mapping", "a generic REST connector (a mapping file, see config/mappings/)");
    if (file.is_relative()) file = config_dir / file;
    std::ifstream in(file, std::ios::binary);
    if (!in) r.fail("CFG_RANGE", "mapping", "cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    rest.mapping = mapping::rest::parse_rest_mapping(text.str(), file.string());
    // Every parameter may be a secret ({ env = ... } / { file = ... }); none is ever shown.
    if (auto params = r.table("params")) {
      for (const auto& key : params->keys()) rest.params[key] = params->secret(key).value_or("");
      params->finish();
    }
  }
  r.finish();
  return c;
}

OutboxSection read_outbox(TomlReader r) {
  OutboxSection o;
  auto& d = o.dispatch;
  if (auto v = r.boolean("enabled")) o.enabled = *v;
  o.poll_seconds = to_int(r.integer("poll_seconds", 1, 3600), o.poll_seconds);
  d.max_attempts = to_int(r.integer("max_attempts", 1, 1000), d.max_attempts);
  d.max_age = std::chrono::hours(to_int(r.integer("max_age_hours", 1, 24 * 365), 168));
  d.base_backoff = std::chrono::seconds(to_int(r.integer("base_backoff_seconds", 0, 3600), 2));
  d.max_backoff = std::chrono::seconds(to_int(r.integer("max_backoff_seconds", 1, 7 * 86400), 3600));
  d.lease = std::chrono::seconds(to_int(r.integer("lease_seconds", 10, 86400), 300));
  d.batch = to_int(r.integer("batch", 1, 10000), d.batch);
  d.in_flight = to_int(r.integer("in_flight", 1, 256), d.in_flight);
  d.breaker_failures = to_int(r.integer("breaker_failures", 1, 1000), d.breaker_failures);
  d.breaker_open = std::chrono::seconds(to_int(r.integer("breaker_open_seconds", 1, 86400), 60));
  r.finish();
  return o;
}

forecast::ForecastSettings read_forecast(TomlReader r) {
  forecast::ForecastSettings f;
  f.window_days = to_int(r.integer("window_days", 30, 3650), f.window_days);
  f.min_payments = to_int(r.integer("min_payments", 1, 1000), f.min_payments);
  f.fallback_days = to_int(r.integer("fallback_days", -365, 365), f.fallback_days);
  f.feed_horizon_days = to_int(r.integer("feed_horizon_days", 1, 730), f.feed_horizon_days);
  if (auto codes = r.table("account_codes")) {
    for (const auto& account : codes->keys()) {
      auto code = codes->string(account);
      if (!code || code->empty()) codes->fail("CFG_RANGE", account, "the treasury system's code for this bank account");
      f.account_codes[account] = *code;
    }
    codes->finish();
  }
  r.finish();
  return f;
}

// The SFTP server settings a statement source fetches from and a treasury target uploads to.
connectors::SftpOptions read_sftp_options(TomlReader& r, const std::string& what, bool fetching) {
  connectors::SftpOptions o;
  auto required = [&](const char* key) {
    auto v = r.string(key);
    if (!v || v->empty()) r.fail("CFG_MISSING_KEY", key, "required for " + what);
    return *v;
  };
  o.host = required("host");
  o.port = to_int(r.integer("port", 1, 65535), 22);
  o.user = required("user");
  o.remote_dir = required("remote_dir");
  o.known_hosts = required("known_hosts");
  if (auto v = r.string("private_key")) o.private_key = *v;
  if (auto v = r.string("public_key")) o.public_key = *v;
  if (auto v = r.secret("key_passphrase")) o.key_passphrase = *v;
  if (auto v = r.secret("password")) o.password = *v;
  if (o.private_key.empty() && o.password.empty()) r.fail("CFG_MISSING_KEY", "private_key", what + " needs private_key (or password)");
  if (fetching) {
    if (auto v = r.string("after_download")) {
      r.one_of("after_download", *v, {"delete", "move"});
      o.after_download = *v;
    }
    if (auto v = r.string("move_to")) o.move_to = *v;
    if (o.after_download == "move" && o.move_to.empty()) r.fail("CFG_MISSING_KEY", "move_to", "after_download = \"move\" needs move_to");
  }
  o.timeout = std::chrono::seconds(to_int(r.integer("timeout_seconds", 1, 3600), 60));
  return o;
}

// [tms.<name>]: a treasury system the inflow feed goes to.
connectors::TmsTargetSettings read_tms_target(const std::string& name, TomlReader& r) {
  connectors::TmsTargetSettings t;
  t.name = name;
  auto transport = r.string("transport");
  if (!transport) r.fail("CFG_MISSING_KEY", "transport", "every treasury target needs a transport (https, folder or sftp)");
  r.one_of("transport", *transport, {"https", "folder", "sftp"});
  t.transport = *transport;
  if (auto v = r.string("layout")) {
    r.one_of("layout", *v, {"json", "csv", "kyriba", "coupa", "treasury-systems"});
    t.layout = *v;
  } else if (t.transport != "https") {
    t.layout = "csv";
  }
  if (t.transport == "https") {
    if (t.layout != "json") r.fail("CFG_RANGE", "layout", "an https target receives the json feed");
    auto url = r.string("url");
    if (!url || url->empty()) r.fail("CFG_MISSING_KEY", "url", "required for an https treasury target");
    if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0) r.fail("CFG_RANGE", "url", "must start with https:// (or http:// on a trusted network)");
    t.http.base_url = *url;
    if (auto v = r.boolean("verify_tls")) t.http.verify_tls = *v;
    if (auto v = r.string("ca_file")) t.http.ca_file = *v;
    t.http.timeout = std::chrono::seconds(to_int(r.integer("timeout_seconds", 1, 3600), 30));
    t.http.user_agent = "arcd/" + std::string(kVersion);
    auto secret = r.secret("secret");
    if (!secret || secret->size() < 16) r.fail("CFG_SECRET", "secret", "an https treasury target needs the shared HMAC secret, at least 16 characters ({ env = ... } or { file = ... })");
    t.secret = *secret;
  } else if (t.transport == "folder") {
    auto folder = r.string("folder");
    if (!folder || folder->empty()) r.fail("CFG_MISSING_KEY", "folder", "required for a folder treasury target");
    t.folder = *folder;
  } else {
    t.sftp = read_sftp_options(r, "an sftp treasury target", false);
  }
  if (auto v = r.string("file_prefix")) {
    if (v->empty() || v->find('/') != std::string::npos) r.fail("CFG_RANGE", "file_prefix", "a file name prefix without '/'");
    t.file_prefix = *v;
  }
  t.every_minutes = to_int(r.integer("every_minutes", 1, 7 * 24 * 60), t.every_minutes);
  if (auto v = r.boolean("after_cash_application")) t.after_cash_application = *v;
  r.finish();
  return t;
}

StatementSourceSection read_statement_source(const std::string& name, TomlReader& r) {
  StatementSourceSection s;
  auto type = r.string("type");
  if (!type) r.fail("CFG_MISSING_KEY", "type", "every statement source needs a type");
  r.one_of("type", *type, {"inbox", "sftp"});
  s.type = *type;
  if (s.type == "sftp") s.sftp = read_sftp_options(r, "an sftp statement source", true);
  read_file_source(r, name, "a statement source", std::int64_t(64) << 30, s);
  if (auto v = r.integer("max_xml_depth", 8, 4096)) s.parse.max_depth = static_cast<std::size_t>(*v);
  if (auto v = r.integer("max_element_bytes", 1024, std::int64_t(1) << 30)) s.parse.max_element_bytes = static_cast<std::size_t>(*v);
  if (auto v = r.string("fallback_currency")) {
    if (!v->empty() && !Currency::find(*v)) r.fail("CFG_RANGE", "fallback_currency", "'" + *v + "' is not an ISO 4217 currency");
    s.parse.fallback_currency = *v;
  }
  if (auto v = r.boolean("accept_bad_control_totals")) s.parse.accept_bad_control_totals = *v;
  if (auto v = r.string("text_encoding")) {
    r.one_of("text_encoding", *v, {"auto", "utf-8", "iso-8859-1", "iso-8859-15", "windows-1252"});
    s.parse.text_encoding = *mapping::text_encoding_named(*v);
  }
  if (auto codes = r.table("bai2_type_codes")) {
    for (const auto& key : codes->keys()) {
      int code = 0;
      try {
        code = std::stoi(key);
      } catch (const std::exception&) {
        codes->fail("CFG_RANGE", key, "a BAI2 type code is a number from 1 to 999");
      }
      if (code < 1 || code > 999 || key.size() != 3) codes->fail("CFG_RANGE", key, "a BAI2 type code has three digits");
      auto dir = codes->string(key);
      codes->one_of(key, *dir, {"credit", "debit"});
      s.parse.bai2_type_overrides[code] = *dir == "credit" ? Direction::credit : Direction::debit;
    }
    codes->finish();
  }
  r.finish();
  return s;
}

}  // namespace

namespace {

// A non-negative plain decimal ("0", "2.50", "0.5").
void check_decimal(TomlReader& r, const std::string& key, const std::string& v) {
  if (v == "0" || cashapp::parse_rate(v)) return;
  r.fail("CFG_RANGE", key, "'" + v + "' is not a plain non-negative decimal such as \"2.50\"");
}

cashapp::Tolerance read_tolerance(TomlReader r) {
  cashapp::Tolerance t;
  if (auto v = r.string("absolute")) {
    check_decimal(r, "absolute", *v);
    t.absolute = *v;
  }
  if (auto v = r.string("percent")) {
    check_decimal(r, "percent", *v);
    t.percent = *v;
  }
  r.finish();
  return t;
}

CashAppSection read_cashapp(TomlReader r) {
  CashAppSection c;
  auto& m = c.match;
  if (auto v = r.boolean("enabled")) c.enabled = *v;
  c.run_every_minutes = to_int(r.integer("run_every_minutes", 1, 7 * 24 * 60), c.run_every_minutes);
  if (auto v = r.strings("rules")) {
    std::set<std::string> seen;
    for (const auto& rule : *v) {
      r.one_of("rules", rule, {"structured_reference", "invoice_number", "issued_reference", "payer_amount"});
      if (!seen.insert(rule).second) r.fail("CFG_RANGE", "rules", "'" + rule + "' is listed twice");
    }
    if (v->empty()) r.fail("CFG_RANGE", "rules", "name at least one rule");
    m.rules = *v;
  }
  m.auto_apply_threshold = to_int(r.integer("auto_apply_threshold", 1, 100), m.auto_apply_threshold);
  m.max_invoices_per_payment = to_int(r.integer("max_invoices_per_payment", 1, 20), m.max_invoices_per_payment);
  m.subset_search_limit = to_int(r.integer("subset_search_limit", 100, 10'000'000), m.subset_search_limit);
  m.name_similarity_percent = to_int(r.integer("name_similarity_percent", 50, 100), m.name_similarity_percent);
  m.min_number_length = to_int(r.integer("min_number_length", 1, 32), m.min_number_length);
  if (auto v = r.strings("number_prefixes")) {
    m.number_prefixes.clear();
    for (auto p : *v) {
      for (auto& ch : p) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      m.number_prefixes.push_back(p);
    }
  }
  if (auto v = r.boolean("auto_apply_payer_amount")) m.auto_apply_payer_amount = *v;
  if (auto v = r.strings("auto_apply_payer_amount_customers")) m.auto_apply_payer_amount_customers = {v->begin(), v->end()};
  m.ptp_grace_days = to_int(r.integer("ptp_grace_days", 0, 90), m.ptp_grace_days);
  m.batch_size = to_int(r.integer("batch_size", 1, 100000), m.batch_size);
  if (auto t = r.table("tolerance")) {
    if (auto b = t->table("bank_charges")) m.bank_charges = read_tolerance(*b);
    if (auto s = t->table("small_difference")) m.small_difference = read_tolerance(*s);
    t->finish();
  }
  if (auto rates = r.table("rates")) {
    for (const auto& pair : rates->keys()) {
      const auto v = rates->string(pair);
      const bool codes = pair.size() == 7 && pair[3] == '/' && Currency::find(pair.substr(0, 3)) && Currency::find(pair.substr(4));
      if (!codes) rates->fail("CFG_RANGE", pair, "expected two ISO 4217 codes such as \"USD/EUR\"");
      if (!v || !cashapp::parse_rate(*v)) rates->fail("CFG_RANGE", pair, "expected a positive decimal rate such as \"0.9234\"");
      m.rates[pair] = *v;
    }
    rates->finish();
  }
  if (auto patterns = r.table("number_patterns")) {
    for (const auto& source : patterns->keys()) {
      const auto v = patterns->string(source);
      if (!v) patterns->fail("CFG_TYPE", source, "expected a regular expression");
      try {
        std::regex check(*v, std::regex::ECMAScript | std::regex::icase);
      } catch (const std::regex_error& e) {
        patterns->fail("CFG_RANGE", source, "not a regular expression: " + std::string(e.what()));
      }
      m.number_patterns[source] = *v;
    }
    patterns->finish();
  }
  r.finish();
  return c;
}

}  // namespace

Config load_config(const std::filesystem::path& path, const Overrides& overrides) {
  toml::table root = path.empty() ? toml::table{} : parse_file(path);
  auto overridden = std::make_shared<std::set<std::string>>();
  for (const auto& s : overrides.set) apply_override(root, s, *overridden);
  std::string db_url = overrides.database_url;
  if (db_url.empty()) {
    if (const char* env = std::getenv("ARCD_DATABASE_URL"); env && *env) db_url = env;
  }
  if (!db_url.empty()) apply_override(root, "database.url=" + toml_quote(db_url), *overridden);

  Config cfg;
  cfg.file = path.string();
  TomlReader r(root, "", cfg.file, overridden);
  if (auto t = r.table("daemon")) cfg.daemon = read_daemon(*t);
  if (auto t = r.table("database")) cfg.database = read_database(*t);
  if (auto t = r.table("http")) cfg.http = read_http(*t);
  if (auto connectors = r.table("connectors")) {
    for (const auto& name : connectors->keys()) {
      auto c = connectors->table(name);
      if (!c) continue;
      auto type = c->string("type");
      if (!type) c->fail("CFG_MISSING_KEY", "type", "every connector needs a type");
      c->one_of("type", *type, {"csv", "odoo", "erpnext", "business_central", "rest"});
      if (*type == "csv") cfg.csv_connectors.push_back(read_csv_connector(name, *c));
      else cfg.erp_connectors.push_back(read_erp_connector(name, *type, *c, path.empty() ? std::filesystem::current_path() : path.parent_path()));
    }
    connectors->finish();
  }
  if (auto sources = r.table("statements")) {
    for (const auto& name : sources->keys()) {
      auto t = sources->table(name);
      if (t) cfg.statement_sources.push_back(read_statement_source(name, *t));
    }
    sources->finish();
  }
  if (auto t = r.table("cashapp")) cfg.cashapp = read_cashapp(*t);
  if (auto t = r.table("outbox")) cfg.outbox = read_outbox(*t);
  if (auto t = r.table("forecast")) cfg.forecast = read_forecast(*t);
  if (auto targets = r.table("tms")) {
    for (const auto& name : targets->keys()) {
      auto t = targets->table(name);
      if (t) cfg.tms.push_back(read_tms_target(name, *t));
    }
    targets->finish();
  }
  const auto config_dir = path.empty() ? std::filesystem::current_path() : path.parent_path();
  if (auto t = r.table("collections")) cfg.collections = read_collections(*t, config_dir);
  else cfg.collections.policies = default_policies();
  if (auto t = r.table("mail")) cfg.mail = read_mail(*t);
  r.finish();
  try {
    (void)store::parse_database_url(cfg.database.url);
  } catch (const Error& e) {
    const auto* db = root.get_as<toml::table>("database");
    const std::string where = db ? TomlReader(*db, "database", cfg.file, overridden).where("url") : "database.url";
    throw Error("CFG_RANGE", where + ": " + e.detail());
  }
  return cfg;
}

std::string describe_config(const Config& c) {
  toml::table t;
  t.insert("daemon", toml::table{{"log_level", c.daemon.log_level},
                                 {"log_format", c.daemon.log_format},
                                 {"io_threads", c.daemon.io_threads},
                                 {"worker_threads", c.daemon.worker_threads},
                                 {"worker_queue_limit", c.daemon.worker_queue_limit},
                                 {"shutdown_timeout_seconds", c.daemon.shutdown_timeout_seconds}});
  t.insert("database", toml::table{{"url", redact_database_url(c.database.url)},
                                   {"pool_size", c.database.pool_size},
                                   {"busy_timeout_ms", c.database.busy_timeout_ms}});
  t.insert("http", toml::table{{"enabled", c.http.enabled},
                               {"listen_address", c.http.listen_address},
                               {"port", c.http.port},
                               {"body_limit_bytes", static_cast<std::int64_t>(c.http.body_limit_bytes)},
                               {"header_limit_bytes", static_cast<std::int64_t>(c.http.header_limit_bytes)},
                               {"read_timeout_seconds", c.http.read_timeout_seconds},
                               {"write_timeout_seconds", c.http.write_timeout_seconds},
                               {"idle_timeout_seconds", c.http.idle_timeout_seconds},
                               {"max_requests_per_connection", c.http.max_requests_per_connection},
                               {"trust_proxy", c.http.trust_proxy},
                               {"tls_cert_file", c.http.tls_cert_file},
                               {"tls_key_file", c.http.tls_key_file},
                               {"token_cache_seconds", c.http.token_cache_seconds},
                               {"response_cache_ms", c.http.response_cache_ms}});
  toml::table connectors;
  for (const auto& k : c.csv_connectors) {
    connectors.insert(k.name, toml::table{{"type", "csv"},
                                          {"inbox", k.inbox.string()},
                                          {"processing", k.processing.string()},
                                          {"archive", k.archive.string()},
                                          {"quarantine", k.quarantine.string()},
                                          {"poll_seconds", k.poll_seconds},
                                          {"jitter_seconds", k.jitter_seconds},
                                          {"stable_seconds", k.stable_seconds}});
  }
  for (const auto& k : c.erp_connectors) {
    toml::table e{{"type", k.erp.type},
                  {"url", k.erp.http.base_url},
                  {"verify_tls", k.erp.http.verify_tls},
                  {"ca_file", k.erp.http.ca_file},
                  {"timeout_seconds", static_cast<std::int64_t>(k.erp.http.timeout.count())},
                  {"poll_seconds", k.poll_seconds},
                  {"page_size", k.page_size},
                  {"overlap_seconds", k.overlap_seconds},
                  {"full_sweep_hours", k.full_sweep_hours},
                  {"push", k.push}};
    if (k.erp.type == "odoo") {
      e.insert("protocol", k.erp.odoo.protocol);
      e.insert("database", k.erp.odoo.database);
      e.insert("login", k.erp.odoo.login);
      e.insert("api_key", "***");
      e.insert("journal_id", k.erp.odoo.journal_id);
    }
    if (k.erp.type == "business_central") {
      e.insert("token_url", k.erp.business_central.token_url);
      e.insert("client_id", k.erp.business_central.client_id);
      e.insert("client_secret", "***");
      e.insert("journal_id", k.erp.business_central.journal_id);
      e.insert("local_currency", k.erp.business_central.local_currency);
    }
    if (k.erp.type == "rest") {
      e.insert("mapping", k.erp.rest.mapping.file);
      toml::table params;
      for (const auto& [key, value] : k.erp.rest.params) params.insert(key, "***");
      e.insert("params", std::move(params));
    }
    if (k.erp.type == "erpnext") {
      e.insert("api_key", "***");
      e.insert("api_secret", "***");
      e.insert("company", k.erp.erpnext.payment.company);
      e.insert("paid_to", k.erp.erpnext.payment.paid_to);
      e.insert("mode_of_payment", k.erp.erpnext.payment.mode_of_payment);
    }
    connectors.insert(k.erp.name, std::move(e));
  }
  if (!connectors.empty()) t.insert("connectors", std::move(connectors));
  toml::table sources;
  for (const auto& k : c.statement_sources) {
    sources.insert(k.name, toml::table{{"type", k.type},
                                       {"inbox", k.inbox.string()},
                                       {"processing", k.processing.string()},
                                       {"archive", k.archive.string()},
                                       {"quarantine", k.quarantine.string()},
                                       {"poll_seconds", k.poll_seconds},
                                       {"fallback_currency", k.parse.fallback_currency},
                                       {"accept_bad_control_totals", k.parse.accept_bad_control_totals},
                                       {"text_encoding", mapping::to_string(k.parse.text_encoding)}});
  }
  if (!sources.empty()) t.insert("statements", std::move(sources));
  {
    const auto& m = c.cashapp.match;
    toml::array rules;
    for (const auto& x : m.rules) rules.push_back(x);
    t.insert("cashapp", toml::table{{"enabled", c.cashapp.enabled},
                                    {"run_every_minutes", c.cashapp.run_every_minutes},
                                    {"rules", std::move(rules)},
                                    {"auto_apply_threshold", m.auto_apply_threshold},
                                    {"max_invoices_per_payment", m.max_invoices_per_payment},
                                    {"name_similarity_percent", m.name_similarity_percent},
                                    {"auto_apply_payer_amount", m.auto_apply_payer_amount},
                                    {"ptp_grace_days", m.ptp_grace_days}});
  }
  toml::table codes;
  for (const auto& [account, code] : c.forecast.account_codes) codes.insert(account, code);
  t.insert("forecast", toml::table{{"window_days", c.forecast.window_days},
                                   {"min_payments", c.forecast.min_payments},
                                   {"fallback_days", c.forecast.fallback_days},
                                   {"feed_horizon_days", c.forecast.feed_horizon_days},
                                   {"account_codes", std::move(codes)}});
  toml::table tms;
  for (const auto& x : c.tms) {
    toml::table e{{"transport", x.transport}, {"layout", x.layout}, {"every_minutes", x.every_minutes},
                  {"after_cash_application", x.after_cash_application}, {"file_prefix", x.file_prefix}};
    if (x.transport == "https") {
      e.insert("url", x.http.base_url);
      e.insert("secret", "***");
    }
    if (x.transport == "folder") e.insert("folder", x.folder.string());
    if (x.sftp) {
      e.insert("host", x.sftp->host);
      e.insert("user", x.sftp->user);
      e.insert("remote_dir", x.sftp->remote_dir);
    }
    tms.insert(x.name, std::move(e));
  }
  if (!tms.empty()) t.insert("tms", std::move(tms));
  t.insert("outbox", toml::table{{"enabled", c.outbox.enabled},
                                 {"poll_seconds", c.outbox.poll_seconds},
                                 {"max_attempts", c.outbox.dispatch.max_attempts},
                                 {"in_flight", c.outbox.dispatch.in_flight},
                                 {"batch", c.outbox.dispatch.batch}});
  std::ostringstream out;
  out << t << "\n";
  return out.str();
}

}  // namespace arcd::app
