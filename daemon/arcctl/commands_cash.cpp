// arcctl cashapp run | applications list|reverse | exceptions list|apply | ptp add|list|cancel
#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>

#include "api/json_views.hpp"
#include "arcctl/commands.hpp"
#include "arcd/error.hpp"
#include "arcd/clock.hpp"
#include "cashapp/manual.hpp"
#include "cashapp/ptp.hpp"
#include "cashapp/run.hpp"

namespace arcd::arcctl {
namespace json = boost::json;

namespace {

// Prints the outcome of a person's action and commits it; a refusal is exit 1 with its reason.
}  // namespace

int cmd_cashapp_run(Context& c) {
  Store& store = c.migrated_store();
  auto clock = make_system_clock();
  cashapp::RunOptions options;
  options.actor = cli_actor();
  options.check = cashapp::InvariantCheck::full;  // asked for by a person: check every cent
  options.progress = [&](std::int64_t done) {
    if (done >= 10000) c.err << done << " entries done\n";
  };
  const auto s = cashapp::run_cash_application(store, c.config().cashapp.match, *clock, options);
  if (c.format == Format::json) c.out << s.to_json() << "\n";
  else c.out << s.to_string() << "\n";
  return s.invariant_ok ? 0 : 1;
}

int cmd_applications_list(Context& c) {
  auto tx = c.migrated_store().begin();
  const auto apps = tx->cash().applications(page_option(c));
  if (c.format == Format::json) {
    json::array items;
    for (const auto& a : apps) items.push_back(api::application_json(a));
    c.out << json::serialize(items) << "\n";
    return 0;
  }
  Table t({"id", "entry_id", "kind", "invoice_id", "customer_id", "amount", "currency", "reverses", "rule", "actor", "reason"});
  for (const auto& a : apps) {
    t.add({a.id.value(), a.entry_id.value(), json::value(std::string(to_string(a.kind))),
           a.invoice_id ? json::value(a.invoice_id->value()) : json::value(nullptr),
           a.customer_id ? json::value(a.customer_id->value()) : json::value(nullptr), json::value(a.amount.to_string()),
           json::value(std::string(a.amount.currency().code())), a.reverses ? json::value(a.reverses->value()) : json::value(nullptr),
           json::value(a.rule), json::value(a.actor), json::value(a.reason.substr(0, 80))});
  }
  t.print(c.out, c.format);
  return 0;
}

int cmd_applications_reverse(Context& c) {
  const auto id = id_word(c, "application id");
  const auto reason = required(c, "reason", "say why the application is reversed");
  auto clock = make_system_clock();
  auto tx = c.migrated_store().begin();
  return finish(c, *tx, cashapp::reverse_application(*tx, ApplicationId(id), reason, clock->today(), cli_actor()));
}

int cmd_exceptions_list(Context& c) {
  auto tx = c.migrated_store().begin();
  const auto items = tx->cash().exceptions(page_option(c));
  if (c.format == Format::json) {
    json::array out;
    for (const auto& x : items) out.push_back(api::exception_json(x, tx->entries().get(x.entry_id)));
    c.out << json::serialize(out) << "\n";
    return 0;
  }
  Table t({"entry_id", "booking_date", "amount", "currency", "payer", "remittance", "reason", "customer_id", "best_candidate"});
  for (const auto& x : items) {
    std::string best;
    try {
      const auto cands = json::parse(x.candidates).as_array();
      if (!cands.empty()) {
        const auto& first = cands.front().as_object();
        best = std::string(first.at("rule").as_string()) + " " + std::to_string(first.at("score").as_int64()) + ":";
        for (const auto& i : first.at("invoices").as_array()) best += " " + std::string(i.as_object().at("number").as_string());
      }
    } catch (const std::exception&) {
    }
    const auto e = tx->entries().get(x.entry_id);
    std::string text = e ? (e->structured_reference.empty() ? e->remittance : e->structured_reference) : "";
    std::replace(text.begin(), text.end(), '\n', ' ');
    t.add({x.entry_id.value(), json::value(e && e->booking_date ? e->booking_date->to_string() : ""), json::value(x.amount.to_string()),
           json::value(std::string(x.amount.currency().code())), json::value(e ? e->payer_name.substr(0, 30) : ""),
           json::value(text.substr(0, 40)), json::value(x.reason),
           x.customer_id ? json::value(x.customer_id->value()) : json::value(nullptr), json::value(best)});
  }
  t.print(c.out, c.format);
  return 0;
}

int cmd_exceptions_apply(Context& c) {
  const auto entry = id_word(c, "entry id");
  const auto on_account = c.option("on-account");
  const auto not_customer = c.option("not-customer");
  if (c.invoices.empty() + !on_account + !not_customer != 2) {
    throw Error("CLI_USAGE", "give --invoice NUMBER[=AMOUNT]... or --on-account CUSTOMER or --not-customer REASON");
  }
  auto clock = make_system_clock();
  const Date today = clock->today();
  auto tx = c.migrated_store().begin();
  if (on_account) return finish(c, *tx, cashapp::put_on_account(*tx, EntryId(entry), *on_account, today, cli_actor()));
  if (not_customer) return finish(c, *tx, cashapp::mark_not_customer(*tx, EntryId(entry), *not_customer, today, cli_actor()));
  std::vector<cashapp::ManualLine> lines;
  for (const auto& spec : c.invoices) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos) lines.push_back({spec, std::nullopt});
    else lines.push_back({spec.substr(0, eq), spec.substr(eq + 1)});
  }
  return finish(c, *tx, cashapp::apply_entry(*tx, EntryId(entry), lines, c.config().cashapp.match, today, cli_actor()));
}

int cmd_ptp_add(Context& c) {
  const auto customer = required(c, "customer", "the customer's external id (or #ID)");
  const auto amount = required(c, "amount", "the promised amount");
  const auto currency = required(c, "currency", "the currency of the promise");
  const auto date = required(c, "date", "the promised date, YYYY-MM-DD");
  const int grace = c.option("grace-days") ? std::stoi(*c.option("grace-days")) : c.config().cashapp.match.ptp_grace_days;
  auto clock = make_system_clock();
  auto tx = c.migrated_store().begin();
  auto request = cashapp::ptp_request(*tx, customer, c.invoices, amount, currency, date, c.option("channel").value_or(""), grace);
  if (!request) {
    c.err << request.problem().to_string() << "\n";
    return 1;
  }
  auto id = cashapp::add_ptp(*tx, request.value(), clock->today(), cli_actor());
  if (!id) return finish(c, *tx, id.problem());
  return finish(c, *tx, Result<std::string>("promise to pay " + id.value().to_string() + " recorded"));
}

int cmd_ptp_list(Context& c) {
  std::optional<CustomerId> customer;
  if (auto v = c.option("customer")) customer = CustomerId(std::stoll(*v));
  std::optional<PtpState> state;
  if (auto v = c.option("status")) {
    state = parse_ptp_state(*v);
    if (!state) throw Error("CLI_USAGE", "--status is open, kept, partially_kept, broken or cancelled");
  }
  auto tx = c.migrated_store().begin();
  const auto ptps = tx->ptps().list(customer, state, page_option(c));
  if (c.format == Format::json) {
    json::array items;
    for (const auto& p : ptps) items.push_back(api::ptp_json(p));
    c.out << json::serialize(items) << "\n";
    return 0;
  }
  Table t({"id", "customer_id", "amount", "paid", "currency", "promised_date", "state", "channel", "recorded_by"});
  for (const auto& p : ptps) {
    t.add({p.id.value(), p.customer_id.value(), json::value(p.amount.to_string()), json::value(p.paid.to_string()),
           json::value(std::string(p.amount.currency().code())), json::value(p.promised_date.to_string()),
           json::value(std::string(to_string(p.state))), json::value(p.channel), json::value(p.recorded_by)});
  }
  t.print(c.out, c.format);
  const auto rate = cashapp::ptp_kept_rate(*tx, customer);
  if (c.format == Format::table && !rate.rate().empty()) c.out << "kept rate: " << rate.rate() << " %\n";
  return 0;
}

int cmd_ptp_cancel(Context& c) {
  const auto id = id_word(c, "promise id");
  const auto reason = required(c, "reason", "say why the promise is cancelled");
  auto tx = c.migrated_store().begin();
  auto r = cashapp::cancel_ptp(*tx, PtpId(id), reason, cli_actor());
  if (!r) return finish(c, *tx, r.problem());
  return finish(c, *tx, Result<std::string>("promise to pay " + std::to_string(id) + " cancelled"));
}

}  // namespace arcd::arcctl
