#include "collections/mail_templates.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>

#include <kainjow/mustache.hpp>
#include <toml++/toml.h>

#include "arcd/error.hpp"

#include "arcd/embedded.hpp"
ARCD_EMBEDDED(mail_templates)

namespace arcd::collections {
namespace {

namespace mu = kainjow::mustache;

void check_syntax(const std::string& file, const char* part, const std::string& text) {
  mu::mustache m(text);
  if (!m.is_valid()) throw Error("COLLECTIONS_TEMPLATE", file + ": " + part + ": " + m.error_message());
}

MailTemplate parse_template(const std::string& file, std::string_view content) {
  toml::table t;
  try {
    t = toml::parse(content, file);
  } catch (const toml::parse_error& e) {
    throw Error("COLLECTIONS_TEMPLATE", file + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  MailTemplate m;
  for (const auto& [key, value] : t) {
    const std::string k(key.str());
    if (!value.is_string()) throw Error("COLLECTIONS_TEMPLATE", file + ": " + k + ": expected a string");
    const std::string v(value.as_string()->get());
    if (k == "subject") m.subject = v;
    else if (k == "text") m.text = v;
    else if (k == "html") m.html = v;
    else throw Error("COLLECTIONS_TEMPLATE", file + ": " + k + ": unknown key (subject, text, html)");
  }
  if (m.subject.empty() || m.text.empty() || m.html.empty())
    throw Error("COLLECTIONS_TEMPLATE", file + ": needs subject, text and html");
  check_syntax(file, "subject", m.subject);
  check_syntax(file, "text", m.text);
  check_syntax(file, "html", m.html);
  return m;
}

// "overdue_notice.de.toml" -> (overdue_notice, de)
std::optional<std::pair<std::string, std::string>> split_name(const std::string& file) {
  if (!file.ends_with(".toml")) return std::nullopt;
  const std::string stem = file.substr(0, file.size() - 5);
  const auto dot = stem.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == stem.size()) return std::nullopt;
  return std::make_pair(stem.substr(0, dot), stem.substr(dot + 1));
}

mu::data lines(const std::vector<MailInvoiceLine>& v) {
  mu::data list{mu::data::type::list};
  for (const auto& l : v) {
    mu::data d;
    d.set("number", l.number);
    d.set("issue_date", l.issue_date);
    d.set("due_date", l.due_date);
    d.set("payment_reference", l.payment_reference);
    d.set("amount_total", l.amount_total);
    d.set("amount_open", l.amount_open);
    d.set("days_overdue", std::to_string(l.days_overdue));
    d.set("overdue", l.days_overdue > 0 ? mu::data::type::bool_true : mu::data::type::bool_false);
    list.push_back(d);
  }
  return list;
}

std::string render_part(const std::string& text, const mu::data& data, bool html) {
  // A run renders thousands of messages from a handful of templates: each is parsed once per
  // thread and kept (templates are few and small).
  thread_local std::unordered_map<std::string, std::unique_ptr<mu::mustache>> parsed[2];
  auto& slot = parsed[html ? 1 : 0][text];
  if (!slot) {
    slot = std::make_unique<mu::mustache>(text);
    if (!html) slot->set_custom_escape([](const std::string& s) { return s; });
  }
  std::string out = slot->render(data);
  if (!slot->is_valid()) throw Error("COLLECTIONS_TEMPLATE", slot->error_message());
  return out;
}

}  // namespace

TemplateSet TemplateSet::load(const std::string& folder) {
  TemplateSet set;
  auto add = [&](const std::string& file, std::string_view content) {
    auto key = split_name(file);
    if (!key) throw Error("COLLECTIONS_TEMPLATE", file + ": template files are named <name>.<language>.toml");
    set.templates_[*key] = parse_template(file, content);
  };
  if (folder.empty()) {
    for (std::size_t i = 0; i < embedded::mail_templates_count; ++i)
      add(std::string(embedded::mail_templates[i].name), embedded::mail_templates[i].content);
    return set;
  }
  std::error_code ec;
  std::filesystem::directory_iterator it(folder, ec);
  if (ec) throw Error("COLLECTIONS_TEMPLATE", folder + ": " + ec.message());
  for (const auto& entry : it) {
    if (!entry.is_regular_file() || entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    add(entry.path().string().substr(entry.path().string().size() - entry.path().filename().string().size()), ss.str());
  }
  return set;
}

const MailTemplate* TemplateSet::find(const std::string& name, const std::string& language, const std::string& fallback_language,
                                      std::string* chosen_language) const {
  for (const auto& lang : {language, fallback_language}) {
    auto it = templates_.find({name, lang});
    if (it != templates_.end()) {
      if (chosen_language) *chosen_language = lang;
      return &it->second;
    }
  }
  return nullptr;
}

bool TemplateSet::has(const std::string& name) const {
  for (const auto& [key, t] : templates_)
    if (key.first == name) return true;
  return false;
}

std::vector<std::string> TemplateSet::names() const {
  std::vector<std::string> out;
  for (const auto& [key, t] : templates_)
    if (out.empty() || out.back() != key.first) out.push_back(key.first);
  return out;
}

RenderedMail render_mail(const MailTemplate& t, const MailContext& c) {
  mu::data d;
  d.set("company", c.company);
  d.set("customer_name", c.customer_name);
  d.set("customer_number", c.customer_number);
  d.set("currency", c.currency);
  d.set("stage", c.stage);
  d.set("as_of", c.as_of);
  d.set("reference", c.reference);
  d.set("invoices", lines(c.invoices));
  d.set("total_due", c.total_due);
  d.set("statement", lines(c.statement));
  d.set("statement_total", c.statement_total);
  RenderedMail r;
  r.subject = render_part(t.subject, d, false);
  r.text = render_part(t.text, d, false);
  r.html = render_part(t.html, d, true);
  // A header must stay on one line.
  for (auto& ch : r.subject)
    if (ch == '\r' || ch == '\n') ch = ' ';
  return r;
}

}  // namespace arcd::collections
