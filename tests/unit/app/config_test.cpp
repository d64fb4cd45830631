#include <gtest/gtest.h>

#include <cstdlib>

#include "app/config.hpp"
#include "arcd/error.hpp"
#include "test_support.hpp"

using namespace arcd;
using app::load_config;
using app::Overrides;

namespace {

struct ConfigFile {
  test::TempDir dir;
  std::filesystem::path path;
  explicit ConfigFile(const std::string& text) : path(dir / "arcd.toml") { test::write_file(path, text); }
};

// The error's code and message for a config text that must fail.
std::pair<std::string, std::string> failure(const std::string& text, Overrides o = {}) {
  ConfigFile f(text);
  try {
    load_config(f.path, o);
  } catch (const Error& e) {
    return {e.code(), e.detail()};
  }
  ADD_FAILURE() << "expected the config to be rejected:\n" << text;
  return {};
}

}  // namespace

TEST(Config, DefaultsWhenEmpty) {
  ::unsetenv("ARCD_DATABASE_URL");
  ConfigFile f("");
  const auto c = load_config(f.path, {});
  EXPECT_EQ(c.daemon.log_level, "info");
  EXPECT_EQ(c.database.url, "sqlite:///var/lib/arcd/arcd.db");
  EXPECT_EQ(c.http.port, 8470);
  EXPECT_TRUE(c.csv_connectors.empty());
}

TEST(Config, TheShippedExampleIsValid) {
  ::unsetenv("ARCD_DATABASE_URL");
  EXPECT_NO_THROW(load_config(std::filesystem::path(ARCD_SOURCE_DIR) / "config" / "arcd.toml", {}));
}

TEST(Config, ReadsEverySection) {
  ::unsetenv("ARCD_DATABASE_URL");
  ConfigFile f(R"(
[daemon]
log_level = "debug"
log_format = "json"
worker_threads = 3
[database]
url = "postgresql://arcd@db.internal/arcd"
pool_size = 8
[http]
listen_address = "0.0.0.0"
port = 9000
[connectors.eu]
type = "csv"
inbox = "/srv/in"
archive = "/srv/archive"
quarantine = "/srv/q"
delimiter = ";"
decimal_separator = ","
group_separator = "."
[connectors.eu.columns]
invoice_number = "Belegnummer"
)");
  const auto c = load_config(f.path, {});
  EXPECT_EQ(c.daemon.log_format, "json");
  EXPECT_EQ(c.daemon.worker_threads, 3);
  EXPECT_EQ(c.database.pool_size, 8);
  EXPECT_EQ(c.http.port, 9000);
  ASSERT_EQ(c.csv_connectors.size(), 1u);
  const auto& k = c.csv_connectors[0];
  EXPECT_EQ(k.name, "eu");
  EXPECT_EQ(k.processing, std::filesystem::path("/srv/in.processing"));
  EXPECT_EQ(k.csv.delimiter, ';');
  EXPECT_EQ(k.csv.amount_format.decimal_separator, ',');
  EXPECT_EQ(k.csv.column_names.at("invoice_number"), "Belegnummer");
}

TEST(Config, UnknownKeyNamesKeyAndLine) {
  auto [code, msg] = failure("[daemon]\nlog_level = \"info\"\nlog_levle = \"debug\"\n");
  EXPECT_EQ(code, "CFG_UNKNOWN_KEY");
  EXPECT_NE(msg.find("arcd.toml:3: daemon.log_levle"), std::string::npos) << msg;
  auto [code2, msg2] = failure("[daemons]\n");
  EXPECT_EQ(code2, "CFG_UNKNOWN_KEY");
  EXPECT_NE(msg2.find("daemons"), std::string::npos);
}

TEST(Config, MissingRequiredKeyNamesTheTable) {
  auto [code, msg] = failure("[connectors.x]\ntype = \"csv\"\ninbox = \"/a\"\narchive = \"/b\"\n");
  EXPECT_EQ(code, "CFG_MISSING_KEY");
  EXPECT_NE(msg.find("arcd.toml:1: connectors.x.quarantine"), std::string::npos) << msg;
  auto [code2, msg2] = failure("[connectors.x]\ninbox = \"/a\"\n");
  EXPECT_EQ(code2, "CFG_MISSING_KEY");
  EXPECT_NE(msg2.find("connectors.x.type"), std::string::npos) << msg2;
}

TEST(Config, WrongTypeNamesKeyAndLine) {
  auto [code, msg] = failure("\n[http]\nport = \"8080\"\n");
  EXPECT_EQ(code, "CFG_TYPE");
  EXPECT_NE(msg.find("arcd.toml:3: http.port: expected an integer"), std::string::npos) << msg;
  auto [code2, msg2] = failure("http = 5\n");
  EXPECT_EQ(code2, "CFG_TYPE");
}

TEST(Config, OutOfRangeNamesKeyAndLine) {
  auto [code, msg] = failure("[http]\nport = 70000\n");
  EXPECT_EQ(code, "CFG_RANGE");
  EXPECT_NE(msg.find("arcd.toml:2: http.port: 70000 is outside 0..65535"), std::string::npos) << msg;
  auto [code2, msg2] = failure("[daemon]\nlog_level = \"loud\"\n");
  EXPECT_EQ(code2, "CFG_RANGE");
  EXPECT_NE(msg2.find("daemon.log_level"), std::string::npos);
  auto [code3, msg3] = failure("[connectors.x]\ntype = \"sap\"\n");
  EXPECT_EQ(code3, "CFG_RANGE");
  auto [code4, msg4] = failure("[database]\nurl = \"mysql://x\"\n");
  EXPECT_EQ(code4, "CFG_RANGE");
  EXPECT_NE(msg4.find("arcd.toml:2: database.url"), std::string::npos) << msg4;
}

TEST(Config, SyntaxErrorNamesLineAndColumn) {
  auto [code, msg] = failure("[daemon]\nlog_level = \"info\n");
  EXPECT_EQ(code, "CFG_PARSE");
  EXPECT_NE(msg.find("arcd.toml:2:"), std::string::npos) << msg;
}

TEST(Config, OverridesFromTheCommandLineAreValidatedLikeTheFile) {
  ::unsetenv("ARCD_DATABASE_URL");
  ConfigFile f("[http]\nport = 1\n");
  Overrides o;
  o.set = {"http.port=9999", "daemon.log_level=debug", "http.listen_address=::1"};
  auto c = load_config(f.path, o);
  EXPECT_EQ(c.http.port, 9999);
  EXPECT_EQ(c.daemon.log_level, "debug");
  EXPECT_EQ(c.http.listen_address, "::1");

  auto [code, msg] = failure("", Overrides{{"http.port=abc"}, ""});
  EXPECT_EQ(code, "CFG_TYPE");
  EXPECT_NE(msg.find("--set http.port"), std::string::npos) << msg;
  auto [code2, msg2] = failure("", Overrides{{"http.prot=1"}, ""});
  EXPECT_EQ(code2, "CFG_UNKNOWN_KEY");
  auto [code3, msg3] = failure("", Overrides{{"noequals"}, ""});
  EXPECT_EQ(code3, "CFG_OVERRIDE");
}

TEST(Config, DatabaseUrlPrecedenceCommandLineThenEnvironmentThenFile) {
  ConfigFile f("[database]\nurl = \"sqlite:///file.db\"\n");
  ::setenv("ARCD_DATABASE_URL", "sqlite:///env.db", 1);
  EXPECT_EQ(load_config(f.path, {}).database.url, "sqlite:///env.db");
  EXPECT_EQ(load_config(f.path, Overrides{{}, "sqlite:///cli.db"}).database.url, "sqlite:///cli.db");
  ::unsetenv("ARCD_DATABASE_URL");
  EXPECT_EQ(load_config(f.path, {}).database.url, "sqlite:///file.db");
}

TEST(Config, SecretsFromEnvironmentAndCredentialFiles) {
  ::unsetenv("ARCD_DATABASE_URL");
  ::setenv("ARCD_TEST_SECRET_URL", "postgresql://u:s3cret@h/db", 1);
  ConfigFile env("[database]\nurl = { env = \"ARCD_TEST_SECRET_URL\" }\n");
  const auto c = load_config(env.path, {});
  EXPECT_EQ(c.database.url, "postgresql://u:s3cret@h/db");
  const auto shown = app::describe_config(c);
  EXPECT_EQ(shown.find("s3cret"), std::string::npos) << shown;
  EXPECT_NE(shown.find("***"), std::string::npos);

  test::TempDir creds;
  test::write_file(creds / "db-url", "sqlite:///from-credential.db\n");
  ::setenv("CREDENTIALS_DIRECTORY", creds.path().c_str(), 1);
  ConfigFile file("[database]\nurl = { file = \"db-url\" }\n");
  EXPECT_EQ(load_config(file.path, {}).database.url, "sqlite:///from-credential.db");
  ::unsetenv("CREDENTIALS_DIRECTORY");

  auto [code, msg] = failure("[database]\nurl = { env = \"ARCD_NOT_SET_ANYWHERE\" }\n");
  EXPECT_EQ(code, "CFG_SECRET");
  EXPECT_NE(msg.find("arcd.toml:2: database.url"), std::string::npos) << msg;
  auto [code2, msg2] = failure("[database]\nurl = { env = \"A\", file = \"b\" }\n");
  EXPECT_EQ(code2, "CFG_SECRET");
}

TEST(Config, ErrorsNeverPrintTheSecret) {
  ::setenv("ARCD_TEST_SECRET_URL", "mysql://u:hunter2@h/db", 1);
  ConfigFile f("[database]\nurl = { env = \"ARCD_TEST_SECRET_URL\" }\n");
  try {
    load_config(f.path, {});
    ADD_FAILURE() << "an unsupported database URL must be rejected";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "CFG_RANGE");
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("u:***@h"), std::string::npos) << e.what();
  }
}

TEST(Config, StatementSources) {
  ::unsetenv("ARCD_DATABASE_URL");
  ConfigFile ok(R"([statements.bank]
type = "sftp"
inbox = "/in"
archive = "/a"
quarantine = "/q"
host = "sftp.bank.example"
user = "arcd"
remote_dir = "/out"
private_key = "/etc/arcd/id_ecdsa"
known_hosts = "/etc/arcd/known_hosts"
after_download = "move"
move_to = "/out/done"
fallback_currency = "CHF"
accept_bad_control_totals = true
text_encoding = "iso-8859-15"
[statements.bank.bai2_type_codes]
"951" = "credit"
)");
  const auto c = load_config(ok.path, {});
  ASSERT_EQ(c.statement_sources.size(), 1u);
  const auto& s = c.statement_sources[0];
  ASSERT_TRUE(s.sftp);
  EXPECT_EQ(s.sftp->port, 22);
  EXPECT_EQ(s.sftp->after_download, "move");
  EXPECT_EQ(s.parse.fallback_currency, "CHF");
  EXPECT_TRUE(s.parse.accept_bad_control_totals);
  EXPECT_EQ(s.parse.text_encoding, mapping::TextEncoding::iso_8859_15);
  EXPECT_EQ(s.parse.bai2_type_overrides.at(951), Direction::credit);

  auto [code, msg] = failure("[statements.b]\ntype = \"sftp\"\ninbox = \"/i\"\narchive = \"/a\"\nquarantine = \"/q\"\nhost = \"h\"\nuser = \"u\"\nremote_dir = \"/\"\nprivate_key = \"/k\"\n");
  EXPECT_EQ(code, "CFG_MISSING_KEY");
  EXPECT_NE(msg.find("statements.b.known_hosts"), std::string::npos) << msg;
  auto [code2, msg2] = failure("[statements.b]\ntype = \"inbox\"\ninbox = \"/i\"\narchive = \"/a\"\nquarantine = \"/q\"\nfallback_currency = \"XXX\"\n");
  EXPECT_EQ(code2, "CFG_RANGE");
  auto [code3, msg3] = failure("[statements.b]\ntype = \"inbox\"\ninbox = \"/i\"\narchive = \"/a\"\nquarantine = \"/q\"\n[statements.b.bai2_type_codes]\n\"951\" = \"sideways\"\n");
  EXPECT_EQ(code3, "CFG_RANGE");
  EXPECT_NE(msg3.find("statements.b.bai2_type_codes.951"), std::string::npos) << msg3;
  auto [code4, msg4] = failure("[statements.b]\ntype = \"inbox\"\ninbox = \"/i\"\narchive = \"/a\"\nquarantine = \"/q\"\ntext_encoding = \"ebcdic\"\n");
  EXPECT_EQ(code4, "CFG_RANGE");
  EXPECT_NE(msg4.find("statements.b.text_encoding"), std::string::npos) << msg4;
}

TEST(Config, CashApplicationSection) {
  ConfigFile f(
      "[cashapp]\nrules = [\"invoice_number\", \"structured_reference\"]\nauto_apply_threshold = 80\n"
      "auto_apply_payer_amount_customers = [\"C1\"]\nnumber_prefixes = [\"rg\"]\n"
      "[cashapp.tolerance.small_difference]\nabsolute = \"2.50\"\npercent = \"0.5\"\n"
      "[cashapp.rates]\n\"USD/EUR\" = \"0.9234\"\n[cashapp.number_patterns]\nerp = \"SO-?\\\\d{6}\"\n");
  const auto c = load_config(f.path, {});
  const auto& m = c.cashapp.match;
  EXPECT_EQ(m.rules, (std::vector<std::string>{"invoice_number", "structured_reference"}));
  EXPECT_EQ(m.auto_apply_threshold, 80);
  EXPECT_EQ(m.auto_apply_payer_amount_customers.count("C1"), 1u);
  EXPECT_EQ(m.number_prefixes, std::vector<std::string>{"RG"});
  EXPECT_EQ(m.small_difference.absolute, "2.50");
  EXPECT_EQ(m.rates.at("USD/EUR"), "0.9234");
  EXPECT_EQ(m.number_patterns.at("erp"), "SO-?\\d{6}");
}

TEST(Config, CashApplicationMistakesAreNamed) {
  EXPECT_EQ(failure("[cashapp]\nrules = [\"magic\"]\n").first, "CFG_RANGE");
  EXPECT_EQ(failure("[cashapp]\nrules = [\"payer_amount\", \"payer_amount\"]\n").first, "CFG_RANGE");
  EXPECT_EQ(failure("[cashapp]\nauto_apply_threshold = 101\n").first, "CFG_RANGE");
  EXPECT_EQ(failure("[cashapp]\nthreshold = 1\n").first, "CFG_UNKNOWN_KEY");
  EXPECT_EQ(failure("[cashapp.tolerance.small_difference]\nabsolute = \"-1\"\n").first, "CFG_RANGE");
  EXPECT_EQ(failure("[cashapp.rates]\n\"USD-EUR\" = \"0.9\"\n").first, "CFG_RANGE");
  EXPECT_EQ(failure("[cashapp.rates]\n\"USD/EUR\" = \"abc\"\n").first, "CFG_RANGE");
  const auto bad_regex = failure("[cashapp.number_patterns]\nerp = \"SO(\"\n");
  EXPECT_EQ(bad_regex.first, "CFG_RANGE");
  EXPECT_NE(bad_regex.second.find("cashapp.number_patterns.erp"), std::string::npos) << bad_regex.second;
}

TEST(Config, OdooConnectorAndOutbox) {
  ::setenv("ARCD_TEST_ODOO_KEY", "k-123", 1);
  ConfigFile f(R"([connectors.odoo-eu]
type = "odoo"
url = "https://odoo.example.com"
database = "prod"
login = "bot"
api_key = { env = "ARCD_TEST_ODOO_KEY" }
journal_id = 7
page_size = 500
overlap_seconds = 120
[outbox]
in_flight = 32
max_attempts = 3
base_backoff_seconds = 0
)");
  const auto c = load_config(f.path, {});
  ASSERT_EQ(c.erp_connectors.size(), 1u);
  const auto& e = c.erp_connectors[0];
  EXPECT_EQ(e.erp.name, "odoo-eu");
  EXPECT_EQ(e.erp.type, "odoo");
  EXPECT_EQ(e.erp.http.base_url, "https://odoo.example.com");
  EXPECT_TRUE(e.erp.http.verify_tls);
  EXPECT_EQ(e.erp.odoo.api_key, "k-123");
  EXPECT_EQ(e.erp.odoo.journal_id, 7);
  EXPECT_EQ(e.page_size, 500);
  EXPECT_EQ(e.overlap_seconds, 120);
  EXPECT_EQ(c.outbox.dispatch.in_flight, 32);
  EXPECT_EQ(c.outbox.dispatch.max_attempts, 3);
  EXPECT_EQ(c.outbox.dispatch.base_backoff.count(), 0);
  // The key never shows.
  EXPECT_EQ(app::describe_config(c).find("k-123"), std::string::npos);
}

TEST(Config, OdooMistakesAreNamed) {
  EXPECT_EQ(failure("[connectors.o]\ntype = \"odoo\"\nurl = \"https://x\"\ndatabase = \"d\"\nlogin = \"l\"\n").first, "CFG_MISSING_KEY");
  EXPECT_EQ(failure("[connectors.o]\ntype = \"odoo\"\nurl = \"ftp://x\"\ndatabase = \"d\"\nlogin = \"l\"\napi_key = \"k\"\n").first,
            "CFG_RANGE");
  EXPECT_EQ(failure("[connectors.o]\ntype = \"odoo\"\nurl = \"https://x\"\napi_key = \"k\"\nprotocol = \"xmlrpc\"\n").first, "CFG_RANGE");
  const auto typo = failure("[connectors.o]\ntype = \"odoo\"\nurl = \"https://x\"\ndatabase = \"d\"\nlogin = \"l\"\napi_key = \"k\"\njournal = 7\n");
  EXPECT_EQ(typo.first, "CFG_UNKNOWN_KEY");
  EXPECT_NE(typo.second.find("journal"), std::string::npos) << typo.second;
  EXPECT_EQ(failure("[connectors.o]\ntype = \"sap\"\n").first, "CFG_RANGE");
  EXPECT_EQ(failure("[outbox]\nin_flight = 0\n").first, "CFG_RANGE");
}

TEST(Config, GenericRestConnectorReadsItsMappingBesideTheConfig) {
  ::setenv("ARCD_TEST_REST_SECRET", "s-456", 1);
  test::TempDir dir;
  std::filesystem::create_directories(dir / "mappings");
  std::filesystem::copy_file(std::filesystem::path(ARCD_SOURCE_DIR) / "config" / "mappings" / "erpnext.toml", dir / "mappings" / "erp.toml");
  test::write_file(dir / "arcd.toml", "[connectors.mw]\ntype = \"rest\"\nurl = \"https://erp.example.com\"\nmapping = \"mappings/erp.toml\"\n"
                                      "[connectors.mw.params]\napi_key = \"k\"\napi_secret = { env = \"ARCD_TEST_REST_SECRET\" }\n");
  const auto c = load_config(dir / "arcd.toml", {});
  ASSERT_EQ(c.erp_connectors.size(), 1u);
  EXPECT_EQ(c.erp_connectors[0].erp.rest.params.at("api_secret"), "s-456");
  EXPECT_EQ(c.erp_connectors[0].erp.rest.mapping.paging.style, "offset");
  EXPECT_EQ(app::describe_config(c).find("s-456"), std::string::npos);
  test::write_file(dir / "bad.toml", "[connectors.mw]\ntype = \"rest\"\nurl = \"https://x\"\nmapping = \"missing.toml\"\n");
  try {
    load_config(dir / "bad.toml", {});
    ADD_FAILURE() << "a missing mapping file was accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.detail().find("missing.toml"), std::string::npos) << e.detail();
  }
}

TEST(Config, TreasuryTargetsAndAccountCodesAreReadAndTheirSecretNeverShown) {
  ::setenv("ARCD_TEST_TMS_SECRET", "a-long-enough-shared-secret", 1);
  ConfigFile f(
      "[forecast]\nfeed_horizon_days = 120\naccount_codes = { \"DE02120300000000202051\" = \"DE-OPER-EUR-01\" }\n"
      "[tms.kyriba]\ntransport = \"https\"\nurl = \"https://tms.example.com/arcd\"\nsecret = { env = \"ARCD_TEST_TMS_SECRET\" }\n"
      "every_minutes = 30\n"
      "[tms.coupa]\ntransport = \"sftp\"\nlayout = \"coupa\"\nhost = \"sftp.coupa.example\"\nuser = \"acme\"\n"
      "remote_dir = \"./Incoming/CashFlows\"\nknown_hosts = \"/etc/arcd/known_hosts\"\nprivate_key = \"/etc/arcd/coupa_key\"\n"
      "after_cash_application = false\n"
      "[tms.files]\ntransport = \"folder\"\nfolder = \"/var/lib/arcd/tms-out\"\n");
  const auto c = load_config(f.path, {});
  EXPECT_EQ(c.forecast.feed_horizon_days, 120);
  EXPECT_EQ(c.forecast.account_codes.at("DE02120300000000202051"), "DE-OPER-EUR-01");
  ASSERT_EQ(c.tms.size(), 3u);
  EXPECT_EQ(c.tms[0].name, "kyriba");
  EXPECT_EQ(c.tms[0].secret, "a-long-enough-shared-secret");
  EXPECT_EQ(c.tms[0].every_minutes, 30);
  EXPECT_EQ(c.tms[0].layout, "json");
  EXPECT_EQ(c.tms[1].transport, "sftp");
  EXPECT_FALSE(c.tms[1].after_cash_application);
  EXPECT_EQ(c.tms[1].sftp->remote_dir, "./Incoming/CashFlows");
  EXPECT_EQ(c.tms[2].layout, "csv");  // files default to the arcd CSV layout
  const auto shown = app::describe_config(c);
  EXPECT_EQ(shown.find("a-long-enough-shared-secret"), std::string::npos) << shown;
  EXPECT_NE(shown.find("tms.example.com"), std::string::npos);
}

TEST(Config, ATreasuryTargetThatCannotWorkIsRefusedNamingTheKey) {
  const std::string https = "[tms.t]\ntransport = \"https\"\nurl = \"https://tms.example.com/\"\n";
  auto [code, what] = failure(https);
  EXPECT_EQ(code, "CFG_SECRET");
  EXPECT_NE(what.find("tms.t.secret"), std::string::npos) << what;
  std::tie(code, what) = failure(https + "secret = \"short\"\n");
  EXPECT_EQ(code, "CFG_SECRET");
  std::tie(code, what) = failure(https + "secret = \"0123456789abcdef0123\"\nlayout = \"coupa\"\n");
  EXPECT_EQ(code, "CFG_RANGE");
  EXPECT_NE(what.find("tms.t.layout"), std::string::npos) << what;
  std::tie(code, what) = failure(https + "secret = \"0123456789abcdef0123\"\nlayuot = \"json\"\n");
  EXPECT_EQ(code, "CFG_UNKNOWN_KEY");
  EXPECT_NE(what.find("layuot"), std::string::npos) << what;
  std::tie(code, what) = failure("[tms.t]\ntransport = \"ftp\"\n");
  EXPECT_EQ(code, "CFG_RANGE");
  std::tie(code, what) = failure("[tms.t]\ntransport = \"folder\"\nlayout = \"excel\"\nfolder = \"/tmp/x\"\n");
  EXPECT_EQ(code, "CFG_RANGE");
  std::tie(code, what) = failure("[tms.t]\ntransport = \"sftp\"\nhost = \"h\"\nuser = \"u\"\nremote_dir = \"/in\"\n");
  EXPECT_EQ(code, "CFG_MISSING_KEY");
  EXPECT_NE(what.find("known_hosts"), std::string::npos) << what;
  std::tie(code, what) = failure("[forecast]\naccount_codes = { \"DE02\" = 7 }\n");
  EXPECT_NE(what.find("forecast.account_codes"), std::string::npos) << what;
}
