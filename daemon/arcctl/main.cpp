// arcctl: the admin CLI. `arcctl [--config FILE] [--database URL] [--set k=v]... COMMAND [args] [--format F]`
#include <boost/program_options.hpp>

#include <functional>
#include <iostream>

#include "arcctl/commands.hpp"
#include "arcd/error.hpp"

namespace po = boost::program_options;
using namespace arcd::arcctl;

namespace {

struct Command {
  std::vector<std::string> words;
  std::function<int(Context&)> run;
  const char* usage;
};

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {{"config", "check"}, cmd_config_check, "config check [--show]        validate the configuration"},
      {{"db", "migrate"}, cmd_db_migrate, "db migrate                   apply pending schema migrations"},
      {{"db", "status"}, cmd_db_status, "db status                    schema version; exit 3 when migrations are pending"},
      {{"invoices", "import"}, cmd_invoices_import, "invoices import FILE.csv...  import invoice CSVs [--source NAME]"},
      {{"invoices", "list"}, cmd_invoices_list, "invoices list                [--customer ID] [--status S] [--source S] [--limit N] [--after ID]"},
      {{"customers", "list"}, cmd_customers_list, "customers list               [--limit N] [--after ID]"},
      {{"customers", "show"}, cmd_customers_show, "customers show ID            balance and aging [--as-of YYYY-MM-DD] [--source S]"},
      {{"statements", "import"}, cmd_statements_import, "statements import FILE...    import bank statements (camt.05x, BAI2, MT940) [--source NAME] [--encoding NAME]"},
      {{"statements", "list"}, cmd_statements_list, "statements list              [--limit N] [--after ID]"},
      {{"statements", "raw"}, cmd_statements_raw, "statements raw SHA256        the file a statement came from, as received [--out FILE]"},
      {{"entries", "list"}, cmd_entries_list, "entries list                 [--statement ID] [--limit N] [--after ID]"},
      {{"cashapp", "run"}, cmd_cashapp_run, "cashapp run                  match and apply cash now; exit 1 when the cash invariant fails"},
      {{"applications", "list"}, cmd_applications_list, "applications list            [--limit N] [--after ID]"},
      {{"applications", "reverse"}, cmd_applications_reverse, "applications reverse ID      --reason TEXT"},
      {{"exceptions", "list"}, cmd_exceptions_list, "exceptions list              the exception queue [--limit N] [--after ENTRY]"},
      {{"exceptions", "apply"}, cmd_exceptions_apply,
       "exceptions apply ENTRY       --invoice NUMBER[=AMOUNT]... | --on-account CUSTOMER | --not-customer REASON"},
      {{"ptp", "add"}, cmd_ptp_add,
       "ptp add                      --customer EXTERNAL_ID --amount X --currency C --date YYYY-MM-DD [--invoice NUMBER]... [--channel C] [--grace-days N]"},
      {{"ptp", "list"}, cmd_ptp_list, "ptp list                     [--customer ID] [--status S] [--limit N] [--after ID]"},
      {{"ptp", "cancel"}, cmd_ptp_cancel, "ptp cancel ID                --reason TEXT"},
      {{"collections", "run"}, cmd_collections_run,
       "collections run              the dunning run now [--as-of YYYY-MM-DD] [--dry-run: print what would be sent and why] [--full]"},
      {{"worklist"}, cmd_worklist, "worklist                     ranked customers to work [--collector NAME] [--as-of D] [--limit N]"},
      {{"disputes", "open"}, cmd_disputes_open,
       "disputes open                --invoice NUMBER --reason CODE [--amount X] [--owner NAME] [--note TEXT]"},
      {{"disputes", "resolve"}, cmd_disputes_resolve,
       "disputes resolve ID          --resolution customer_pays|credit_note|written_off|rejected [--note TEXT]"},
      {{"disputes", "list"}, cmd_disputes_list, "disputes list                [--status open|closed] [--customer ID] [--limit N] [--after ID]"},
      {{"holds", "add"}, cmd_holds_add,
       "holds add                    --customer ID --until YYYY-MM-DD --reason TEXT [--invoice NUMBER] [--renews HOLD]"},
      {{"holds", "end"}, cmd_holds_end, "holds end ID                 end a hold early (the collector is told)"},
      {{"holds", "list"}, cmd_holds_list, "holds list                   [--customer ID] [--limit N] [--after ID]"},
      {{"activities", "list"}, cmd_activities_list, "activities list              --customer ID: the contact history, oldest first"},
      {{"activities", "add"}, cmd_activities_add, "activities add               --customer ID --kind call|note --text TEXT"},
      {{"tasks", "list"}, cmd_tasks_list, "tasks list                   open tasks [--collector NAME]"},
      {{"tasks", "done"}, cmd_tasks_done,
       "tasks done ID                --outcome reached|left_message|promised|disputed|wrong_contact|done [--note TEXT]"},
      {{"contacts", "add"}, cmd_contacts_add, "contacts add                 --customer ID --role billing|ar|escalation --email ADDR [--name N]"},
      {{"contacts", "list"}, cmd_contacts_list, "contacts list                --customer ID"},
      {{"writeoffs", "propose"}, cmd_writeoffs_propose, "writeoffs propose            --invoice NUMBER --reason TEXT [--amount X]"},
      {{"writeoffs", "approve"}, cmd_writeoffs_approve, "writeoffs approve ID         a manager other than the proposer"},
      {{"writeoffs", "reject"}, cmd_writeoffs_reject, "writeoffs reject ID          a manager"},
      {{"writeoffs", "list"}, cmd_writeoffs_list, "writeoffs list               [--status proposed|approved|rejected]"},
      {{"customers", "set"}, cmd_customers_set,
       "customers set                --customer ID [--policy P] [--collector N] [--account-manager N] [--language L]"},
      {{"invoices", "set-policy"}, cmd_invoices_set_policy, "invoices set-policy          --invoice NUMBER --policy P (empty: the customer's)"},
      {{"kpis"}, cmd_kpis, "kpis                         DSO, CEI, aging, ADD, PTP kept rate, disputes, unapplied cash [--as-of D]"},
      {{"outbox", "list"}, cmd_outbox_list, "outbox list                  events for the ERPs [--status S] [--source NAME] [--limit N] [--after ID]"},
      {{"outbox", "retry"}, cmd_outbox_retry, "outbox retry ID              deliver a dead event again [--reason TEXT]"},
      {{"outbox", "drop"}, cmd_outbox_drop, "outbox drop ID               never deliver this event [--reason TEXT]"},
      {{"forecast", "show"}, cmd_forecast_show,
       "forecast show                expected inflows per day, week and month [--horizon DAYS] [--by currency|entity|account] [--as-of D]"},
      {{"forecast", "backtest"}, cmd_forecast_backtest,
       "forecast backtest            the forecast replayed against the cash that arrived: error per horizon --from D --to D [--step DAYS]"},
      {{"forecast", "feed"}, cmd_forecast_feed,
       "forecast feed                the next inflow feed snapshot for treasury [--layout json|csv|kyriba|coupa|treasury-systems] [--out FILE] [--horizon DAYS]"},
      {{"tokens", "create"}, cmd_tokens_create,
       "tokens create                --user NAME --role viewer|collector|manager|admin [--all-customers] [--expires YYYY-MM-DD] [--note T]"},
      {{"tokens", "list"}, cmd_tokens_list, "tokens list                  API tokens (never their secrets) [--all: revoked ones too]"},
      {{"tokens", "revoke"}, cmd_tokens_revoke, "tokens revoke ID             the token stops working at once"},
      {{"audit", "verify"}, cmd_audit_verify, "audit verify                 check the audit log's hash chain; exit 1 when it was tampered with"},
  };
  return all;
}

void usage(std::ostream& out, const po::options_description& opts) {
  out << "usage: arcctl [options] COMMAND [args]\n\ncommands:\n";
  for (const auto& c : commands()) out << "  " << c.usage << "\n";
  out << "\n" << opts;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")("config,c", po::value<std::string>()->default_value(""), "configuration file")(
      "database", po::value<std::string>(), "database URL (overrides the file and ARCD_DATABASE_URL)")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a config key: section.key=value")(
      "format", po::value<std::string>()->default_value("table"), "table, json or csv")(
      "customer", po::value<std::string>(), "a customer: arcd id to filter lists, ERP id for ptp add")("status", po::value<std::string>(), "filter by status")(
      "source", po::value<std::string>(), "connector instance name")("limit", po::value<std::string>(), "rows at most")(
      "after", po::value<std::string>(), "rows after this id (paging)")("statement", po::value<std::string>(), "a statement id")("as-of", po::value<std::string>(), "date YYYY-MM-DD")(
      "show", "print the effective configuration, secrets redacted")("reason", po::value<std::string>(), "why (reverse, cancel)")(
      "invoice", po::value<std::vector<std::string>>()->composing(), "an invoice number, NUMBER=AMOUNT to name the amount")(
      "on-account", po::value<std::string>(), "a customer's external id (or #ID)")(
      "not-customer", po::value<std::string>(), "what the payment is instead (refund, interest, ...)")(
      "amount", po::value<std::string>(), "an amount, e.g. 250.00")("currency", po::value<std::string>(), "ISO 4217 code")(
      "date", po::value<std::string>(), "a date YYYY-MM-DD")("channel", po::value<std::string>(), "call, email, portal, letter, ...")(
      "grace-days", po::value<std::string>(), "days after the promised date before a promise counts as broken")(
      "dry-run", "collections run: report, write nothing")("full", "collections run: look at every customer")("collector", po::value<std::string>(), "a collector's name")(
      "resolution", po::value<std::string>(), "how a dispute ended")("owner", po::value<std::string>(), "who works a dispute")(
      "note", po::value<std::string>(), "a note")("until", po::value<std::string>(), "last day of a hold, YYYY-MM-DD")(
      "renews", po::value<std::string>(), "the hold a new hold renews")("outcome", po::value<std::string>(), "how a task ended")(
      "role", po::value<std::string>(), "a contact's role")("email", po::value<std::string>(), "an email address")(
      "name", po::value<std::string>(), "a name")("text", po::value<std::string>(), "what to log")(
      "kind", po::value<std::string>(), "call or note")("policy", po::value<std::string>(), "a dunning policy name")(
      "account-manager", po::value<std::string>(), "a customer's account manager")("language", po::value<std::string>(), "en, de, ...")(
      "user", po::value<std::string>(), "an API user's name")("expires", po::value<std::string>(), "last day a token works, YYYY-MM-DD")(
      "all-customers", "tokens create: a collector who works every customer")("horizon", po::value<std::string>(), "days ahead")("layout", po::value<std::string>(), "feed layout: json, csv, kyriba, coupa, treasury-systems")(
      "from", po::value<std::string>(), "first date YYYY-MM-DD")("to", po::value<std::string>(), "last date YYYY-MM-DD")(
      "step", po::value<std::string>(), "days between back-test dates")(
      "out", po::value<std::string>(), "a file to write")(
      "by", po::value<std::string>(), "forecast grouping: currency, entity or account")("all", "tokens list: revoked tokens too")(
      "encoding", po::value<std::string>(), "statements import: auto, utf-8, iso-8859-1, iso-8859-15 or windows-1252");
  po::options_description hidden;
  hidden.add_options()("words", po::value<std::vector<std::string>>()->composing(), "");
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("words", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "arcctl: " << e.what() << "\n";
    return 2;
  }
  std::vector<std::string> words = vm.count("words") ? vm["words"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (vm.count("help") || words.empty()) {
    usage(vm.count("help") ? std::cout : std::cerr, opts);
    return vm.count("help") ? 0 : 2;
  }

  Context ctx;
  ctx.config_path = vm["config"].as<std::string>();
  if (vm.count("set")) ctx.overrides.set = vm["set"].as<std::vector<std::string>>();
  if (vm.count("database")) ctx.overrides.database_url = vm["database"].as<std::string>();
  for (const char* name : {"customer", "status", "source", "limit", "after", "as-of", "statement", "reason", "on-account",
                           "not-customer", "amount", "currency", "date", "channel", "grace-days", "collector", "resolution",
                           "owner", "note", "until", "renews", "outcome", "role", "email", "name", "text", "kind", "policy",
                           "account-manager", "language", "user", "expires", "horizon", "by", "layout", "out", "from", "to", "step", "encoding"})
    if (vm.count(name)) ctx.options[name] = vm[name].as<std::string>();
  if (vm.count("show")) ctx.options["show"] = "1";
  if (vm.count("dry-run")) ctx.options["dry-run"] = "1";
  if (vm.count("full")) ctx.options["full"] = "1";
  if (vm.count("all-customers")) ctx.options["all-customers"] = "1";
  if (vm.count("all")) ctx.options["all"] = "1";
  if (vm.count("invoice")) ctx.invoices = vm["invoice"].as<std::vector<std::string>>();

  for (const auto& c : commands()) {
    if (words.size() < c.words.size() || !std::equal(c.words.begin(), c.words.end(), words.begin())) continue;
    ctx.words.assign(words.begin() + static_cast<std::ptrdiff_t>(c.words.size()), words.end());
    try {
      ctx.format = parse_format(vm["format"].as<std::string>());
      return c.run(ctx);
    } catch (const arcd::Error& e) {
      std::cerr << e.what() << "\n";
      return e.code() == "CLI_USAGE" ? 2 : 1;
    } catch (const std::exception& e) {
      std::cerr << "arcctl: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "arcctl: unknown command '" << words.front();
  if (words.size() > 1) std::cerr << ' ' << words[1];
  std::cerr << "'\n";
  usage(std::cerr, opts);
  return 2;
}
