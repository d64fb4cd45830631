#pragma once
// [collections] and [mail] of arcd.toml, and the dunning policies file they name, read
// strictly (unknown keys, unknown stages or templates, bad amounts are errors naming file:line).

#include <filesystem>
#include <optional>
#include <string>

#include <toml++/toml.h>

#include "app/toml_reader.hpp"
#include "collections/settings.hpp"
#include "connectors/smtp/smtp_transport.hpp"

namespace arcd::app {

// [mail]: how reminders leave. transport "none" keeps them queued in the outbox.
struct MailSection {
  std::string transport = "none";  // none | smtp
  connectors::SmtpSettings smtp;
  int poll_seconds = 30;
  int max_attempts = 8;            // transient failures, then the message is given up (dead)
};

collections::CollectionsSettings read_collections(TomlReader r, const std::filesystem::path& config_dir);
MailSection read_mail(TomlReader r);
// The policies of a dunning file (TOML text); `file` names it in errors. Checks that every
// stage's template exists in `template_names` when given.
collections::PolicySet read_policies(std::string_view toml_text, const std::string& file);
// The built-in copy of config/dunning.toml.
collections::PolicySet default_policies();

}  // namespace arcd::app
