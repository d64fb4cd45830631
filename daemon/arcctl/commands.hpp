#pragma once
// arcctl's commands. Each takes the parsed context and returns the process exit code.

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "arcctl/output.hpp"
#include "arcd/error.hpp"
#include "arcd/store.hpp"

namespace arcd::arcctl {

struct Context {
  std::filesystem::path config_path;
  app::Overrides overrides;
  std::vector<std::string> words;  // positional words after the command words
  Format format = Format::table;
  std::map<std::string, std::string> options;  // --customer, --status, --as-of, --source, ...
  std::vector<std::string> invoices;           // --invoice, repeatable
  std::ostream& out = std::cout;
  std::ostream& err = std::cerr;

  const app::Config& config();
  Store& store();  // opened on first use
  // The store, refusing with DB_SCHEMA_PENDING when migrations are pending (run `db migrate`).
  Store& migrated_store();
  std::optional<std::string> option(const std::string& name) const;

 private:
  std::optional<app::Config> config_;
  std::unique_ptr<Store> store_;
};

// Who a change from the command line is recorded as: "cli:<$USER>".
Actor cli_actor();
// --limit N (default 1000) and --after ID.
Page page_option(const Context& c);
// The one positional word, a positive id; CLI_USAGE naming `what` otherwise.
std::int64_t id_word(const Context& c, const char* what);

// Commits and prints the message, or prints the problem (exit 1) and leaves the transaction
// to roll back.
int finish(Context& c, Transaction& tx, const Result<std::string>& r);
// The option's value; CLI_USAGE "--option is required: what" when missing.
std::string required(Context& c, const char* option, const char* what);

int cmd_config_check(Context& c);
int cmd_forecast_show(Context& c);
int cmd_forecast_feed(Context& c);
int cmd_forecast_backtest(Context& c);
int cmd_tokens_create(Context& c);
int cmd_tokens_list(Context& c);
int cmd_tokens_revoke(Context& c);
int cmd_audit_verify(Context& c);
int cmd_db_migrate(Context& c);
int cmd_db_status(Context& c);
int cmd_invoices_import(Context& c);
int cmd_invoices_list(Context& c);
int cmd_customers_list(Context& c);
int cmd_customers_show(Context& c);
int cmd_statements_import(Context& c);
int cmd_statements_list(Context& c);
int cmd_statements_raw(Context& c);
int cmd_entries_list(Context& c);
int cmd_cashapp_run(Context& c);
int cmd_applications_list(Context& c);
int cmd_applications_reverse(Context& c);
int cmd_exceptions_list(Context& c);
int cmd_exceptions_apply(Context& c);
int cmd_ptp_add(Context& c);
int cmd_collections_run(Context& c);
int cmd_worklist(Context& c);
int cmd_disputes_open(Context& c);
int cmd_disputes_resolve(Context& c);
int cmd_disputes_list(Context& c);
int cmd_holds_add(Context& c);
int cmd_holds_end(Context& c);
int cmd_holds_list(Context& c);
int cmd_activities_list(Context& c);
int cmd_activities_add(Context& c);
int cmd_tasks_list(Context& c);
int cmd_tasks_done(Context& c);
int cmd_contacts_add(Context& c);
int cmd_contacts_list(Context& c);
int cmd_writeoffs_propose(Context& c);
int cmd_writeoffs_approve(Context& c);
int cmd_writeoffs_reject(Context& c);
int cmd_writeoffs_list(Context& c);
int cmd_kpis(Context& c);
int cmd_customers_set(Context& c);
int cmd_invoices_set_policy(Context& c);
int cmd_ptp_list(Context& c);
int cmd_ptp_cancel(Context& c);
int cmd_outbox_list(Context& c);
int cmd_outbox_retry(Context& c);
int cmd_outbox_drop(Context& c);

}  // namespace arcd::arcctl
