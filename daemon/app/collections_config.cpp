#include "app/collections_config.hpp"

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "arcd/currency.hpp"
#include "arcd/error.hpp"
#include "arcd/money.hpp"
#include "collections/mail_templates.hpp"

#include "arcd/embedded.hpp"
ARCD_EMBEDDED(dunning_policies)

namespace arcd::app {
namespace {

using collections::Action;
using collections::ActionKind;
using collections::Policy;
using collections::PolicySet;
using collections::Stage;

int to_int(std::optional<std::int64_t> v, int fallback) { return v ? static_cast<int>(*v) : fallback; }

collections::Conditions read_conditions(TomlReader r) {
  collections::Conditions c;
  if (auto v = r.string("min_open")) {
    try {
      // CLF has four decimals: every currency's amount converts to it exactly.
      c.min_open_e4 = Money::parse(*v, Currency::of("CLF")).minor();
    } catch (const Error& e) {
      r.fail("CFG_RANGE", "min_open", "'" + *v + "' is not a decimal amount such as \"50.00\" (" + e.detail() + ")");
    }
  }
  if (auto v = r.integer("min_days_overdue", -3650, 3650)) c.min_days_overdue = static_cast<int>(*v);
  if (auto v = r.integer("max_days_overdue", -3650, 3650)) c.max_days_overdue = static_cast<int>(*v);
  if (auto v = r.strings("tiers")) c.tiers = *v;
  if (auto v = r.strings("risk_classes")) c.risk_classes = *v;
  if (auto v = r.integer("min_open_invoices", 0, 1'000'000)) c.min_open_invoices = static_cast<int>(*v);
  if (auto v = r.integer("max_open_invoices", 0, 1'000'000)) c.max_open_invoices = static_cast<int>(*v);
  if (auto v = r.string("after_stage")) c.after_stage = *v;
  r.finish();
  return c;
}

Stage read_stage(TomlReader r) {
  Stage s;
  auto name = r.string("name");
  if (!name || name->empty()) r.fail("CFG_MISSING_KEY", "name", "every stage needs a name");
  s.name = *name;
  auto offset = r.integer("offset_days", -365, 3650);
  if (!offset) r.fail("CFG_MISSING_KEY", "offset_days", "every stage needs offset_days (negative = before due)");
  s.offset_days = static_cast<int>(*offset);
  auto action = r.string("action");
  if (!action) r.fail("CFG_MISSING_KEY", "action", "every stage needs an action");
  r.one_of("action", *action, {"email", "task", "escalate", "credit_hold", "agency", "writeoff_proposal"});
  Action& a = s.action;
  a.kind = *collections::parse_action_kind(*action);
  if (auto v = r.string("template")) a.template_name = *v;
  if (a.kind == ActionKind::email && a.template_name.empty()) r.fail("CFG_MISSING_KEY", "template", "an email stage needs a template");
  if (auto v = r.strings("contacts")) {
    if (v->empty()) r.fail("CFG_RANGE", "contacts", "name at least one contact role");
    a.contact_roles = *v;
  }
  if (auto v = r.string("task")) {
    r.one_of("task", *v, {"call", "review"});
    a.task_kind = *v;
  }
  if (auto v = r.string("escalate_to")) {
    r.one_of("escalate_to", *v, {"account_manager", "collections_manager"});
    a.escalate_to = *v;
  }
  a.deadline_days = to_int(r.integer("deadline_days", 0, 365), a.deadline_days);
  if (auto w = r.table("when")) s.when = read_conditions(*w);
  r.finish();
  return s;
}

Policy read_policy(const std::string& name, TomlReader r) {
  Policy p;
  p.name = name;
  if (auto v = r.string("catch_up")) {
    r.one_of("catch_up", *v, {"skip", "compress"});
    p.catch_up = *v == "skip" ? collections::CatchUp::skip : collections::CatchUp::compress;
  }
  p.compress_gap_days = to_int(r.integer("compress_gap_days", 1, 90), p.compress_gap_days);
  auto stages = r.tables("stages");
  if (stages.empty()) r.fail("CFG_MISSING_KEY", "stages", "a policy needs at least one [[stages]]");
  std::set<std::string> names;
  for (auto& t : stages) {
    Stage s = read_stage(t);
    if (!names.insert(s.name).second) t.fail("CFG_RANGE", "name", "stage '" + s.name + "' appears twice in policy " + name);
    if (!p.stages.empty() && s.offset_days < p.stages.back().offset_days)
      t.fail("CFG_RANGE", "offset_days", "stages must be in order of offset_days");
    p.stages.push_back(std::move(s));
  }
  for (auto& s : p.stages) {
    if (!s.when.after_stage.empty() && p.index_of(s.when.after_stage) < 0)
      r.fail("CFG_RANGE", "stages", "stage " + s.name + ": after_stage '" + s.when.after_stage + "' is not a stage of " + name);
  }
  r.finish();
  return p;
}

}  // namespace

PolicySet read_policies(std::string_view toml_text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file);
  } catch (const toml::parse_error& e) {
    throw Error("CFG_PARSE", file + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  TomlReader r(root, "", file);
  PolicySet set;
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char ch : toml_text) h = (h ^ ch) * 1099511628211ULL;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  set.fingerprint = hex;
  if (auto v = r.string("default_policy")) set.default_policy = *v;
  auto policies = r.table("policies");
  if (!policies) r.fail("CFG_MISSING_KEY", "policies", "define at least one [policies.<name>]");
  for (const auto& name : policies->keys()) {
    auto t = policies->table(name);
    if (t) set.policies[name] = read_policy(name, *t);
  }
  policies->finish();
  for (auto& t : r.tables("assign")) {
    collections::Assignment a;
    auto p = t.string("policy");
    if (!p) t.fail("CFG_MISSING_KEY", "policy", "an [[assign]] rule names its policy");
    if (!set.policies.count(*p)) t.fail("CFG_RANGE", "policy", "no policy named '" + *p + "'");
    a.policy = *p;
    if (auto v = t.strings("tiers")) a.tiers = *v;
    if (auto v = t.strings("entities")) a.entities = *v;
    if (auto v = t.strings("currencies")) a.currencies = *v;
    if (auto v = t.strings("risk_classes")) a.risk_classes = *v;
    if (auto v = t.strings("customers")) a.customers = *v;
    t.finish();
    set.assignments.push_back(std::move(a));
  }
  if (!set.policies.count(set.default_policy)) r.fail("CFG_RANGE", "default_policy", "no policy named '" + set.default_policy + "'");
  r.finish();
  return set;
}

PolicySet default_policies() {
  return read_policies(embedded::dunning_policies[0].content, "<built-in dunning.toml>");
}

collections::CollectionsSettings read_collections(TomlReader r, const std::filesystem::path& config_dir) {
  collections::CollectionsSettings s;
  s.policies = default_policies();
  if (auto v = r.boolean("enabled")) s.enabled = *v;
  s.run_hour_utc = to_int(r.integer("run_hour_utc", 0, 23), s.run_hour_utc);
  if (auto v = r.string("policies_file")) {
    std::filesystem::path p = *v;
    if (p.is_relative()) p = config_dir / p;
    std::ifstream in(p, std::ios::binary);
    if (!in) r.fail("CFG_RANGE", "policies_file", "cannot read " + p.string());
    std::stringstream ss;
    ss << in.rdbuf();
    s.policies = read_policies(ss.str(), p.string());
  }
  if (auto v = r.string("templates_dir")) {
    std::filesystem::path p = *v;
    if (p.is_relative()) p = config_dir / p;
    s.templates_dir = p.string();
  }
  if (auto v = r.string("default_language")) s.default_language = *v;
  s.max_statement_age_hours = to_int(r.integer("max_statement_age_hours", 0, 24 * 365), s.max_statement_age_hours);
  s.hold_max_days = to_int(r.integer("hold_max_days", 1, 365), s.hold_max_days);
  s.hold_max_renewals = to_int(r.integer("hold_max_renewals", 0, 100), s.hold_max_renewals);
  if (auto v = r.strings("dispute_reasons")) {
    if (v->empty()) r.fail("CFG_RANGE", "dispute_reasons", "name at least one reason code");
    s.dispute_reasons = *v;
  }
  if (auto v = r.string("collections_manager")) s.collections_manager = *v;
  if (auto v = r.string("default_collector")) s.default_collector = *v;
  if (auto v = r.strings("managers")) s.managers = *v;
  for (auto& t : r.tables("collectors")) {
    collections::CollectorRule rule;
    auto name = t.string("collector");
    if (!name || name->empty()) t.fail("CFG_MISSING_KEY", "collector", "a [[collections.collectors]] rule names its collector");
    rule.collector = *name;
    if (auto v = t.strings("tiers")) rule.tiers = *v;
    if (auto v = t.strings("entities")) rule.entities = *v;
    if (auto v = t.strings("risk_classes")) rule.risk_classes = *v;
    if (auto v = t.strings("customers")) rule.customers = *v;
    t.finish();
    s.collectors.push_back(std::move(rule));
  }
  s.batch_customers = to_int(r.integer("batch_customers", 1, 100000), s.batch_customers);
  if (auto v = r.string("mail_from")) s.mail_from = *v;
  if (auto v = r.string("mail_reply_to")) s.mail_reply_to = *v;
  if (auto v = r.string("company_name")) s.company_name = *v;
  if (auto v = r.string("message_id_domain")) s.message_id_domain = *v;
  if (auto t = r.table("risk")) {
    auto& k = s.risk;
    k.window_days = to_int(t->integer("window_days", 30, 3650), k.window_days);
    k.b_days_late = to_int(t->integer("b_days_late", 0, 3650), k.b_days_late);
    k.c_days_late = to_int(t->integer("c_days_late", 0, 3650), k.c_days_late);
    k.d_days_late = to_int(t->integer("d_days_late", 0, 3650), k.d_days_late);
    k.c_broken_promises = to_int(t->integer("c_broken_promises", 1, 100), k.c_broken_promises);
    k.d_broken_promises = to_int(t->integer("d_broken_promises", 1, 100), k.d_broken_promises);
    k.c_overdue_percent = to_int(t->integer("c_overdue_percent", 1, 100), k.c_overdue_percent);
    k.d_overdue_percent = to_int(t->integer("d_overdue_percent", 1, 100), k.d_overdue_percent);
    t->finish();
  }
  if (auto t = r.table("tier_points")) {
    s.tier_points.clear();
    for (const auto& tier : t->keys()) s.tier_points[tier] = to_int(t->integer(tier, 0, 100), 0);
    t->finish();
  }
  r.finish();
  // Every email stage needs its template in the default language.
  const auto templates = collections::TemplateSet::load(s.templates_dir);
  for (const auto& [name, p] : s.policies.policies) {
    for (const auto& st : p.stages) {
      if (st.action.kind == ActionKind::email && !templates.find(st.action.template_name, s.default_language, s.default_language))
        throw Error("CFG_RANGE", "collections: policy " + name + " stage " + st.name + ": no template '" + st.action.template_name +
                                     "' in language '" + s.default_language + "'");
    }
  }
  return s;
}

MailSection read_mail(TomlReader r) {
  MailSection m;
  if (auto v = r.string("transport")) {
    r.one_of("transport", *v, {"none", "smtp"});
    m.transport = *v;
  }
  auto& s = m.smtp;
  if (auto v = r.string("url")) {
    if (!v->starts_with("smtp://") && !v->starts_with("smtps://")) r.fail("CFG_RANGE", "url", "expected smtp://host:port or smtps://host:port");
    s.url = *v;
  }
  if (auto v = r.string("tls")) {
    r.one_of("tls", *v, {"starttls", "implicit", "none"});
    s.tls = *v;
  }
  if (auto v = r.string("username")) s.username = *v;
  if (auto v = r.secret("password")) s.password = *v;
  if (auto v = r.string("ca_file")) s.ca_file = *v;
  if (auto v = r.boolean("verify_tls")) s.verify_tls = *v;
  s.timeout_seconds = to_int(r.integer("timeout_seconds", 1, 600), s.timeout_seconds);
  m.poll_seconds = to_int(r.integer("poll_seconds", 1, 3600), m.poll_seconds);
  m.max_attempts = to_int(r.integer("max_attempts", 1, 100), m.max_attempts);
  if (m.transport == "smtp" && s.url.empty()) r.fail("CFG_MISSING_KEY", "url", "transport smtp needs the server's url");
  if (s.tls == "implicit" && !s.url.starts_with("smtps://")) r.fail("CFG_RANGE", "tls", "implicit TLS needs an smtps:// url");
  r.finish();
  return m;
}

}  // namespace arcd::app
