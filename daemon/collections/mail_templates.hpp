#pragma once
// Reminder emails rendered from Mustache templates: one TOML file per template and language,
// "<name>.<language>.toml" with `subject`, `text` and `html`, from a folder or built in (the
// files of config/templates/). The HTML part escapes what it inserts; the text part does not.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arcd/model.hpp"

namespace arcd::collections {

struct MailTemplate {
  std::string subject, text, html;
};

// One invoice line of a reminder or of the statement of account.
struct MailInvoiceLine {
  std::string number, issue_date, due_date, payment_reference;
  std::string amount_total, amount_open;  // "1234.50"
  int days_overdue = 0;
};

struct MailContext {
  std::string company, customer_name, customer_number, currency, stage, as_of;
  std::string reference;                   // the RF reference to quote when paying what it names
  std::vector<MailInvoiceLine> invoices;   // what this reminder is about
  std::string total_due;
  std::vector<MailInvoiceLine> statement;  // every open invoice in the currency
  std::string statement_total;
};

struct RenderedMail {
  std::string subject, text, html;
};

class TemplateSet {
 public:
  // Every *.toml of the folder; empty folder name: the built-in templates. Throws arcd::Error
  // COLLECTIONS_TEMPLATE naming the file and what is wrong (bad TOML, a missing part, a
  // Mustache syntax error).
  static TemplateSet load(const std::string& folder);
  // The template in `language`, else in `fallback_language`; null when neither exists.
  const MailTemplate* find(const std::string& name, const std::string& language, const std::string& fallback_language,
                           std::string* chosen_language = nullptr) const;
  bool has(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::pair<std::string, std::string>, MailTemplate> templates_;  // (name, language)
};

RenderedMail render_mail(const MailTemplate& t, const MailContext& c);

}  // namespace arcd::collections
