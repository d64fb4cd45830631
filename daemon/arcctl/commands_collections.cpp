// arcctl collections run | worklist | disputes | holds | activities | tasks | contacts | writeoffs | kpis
#include <boost/json.hpp>

#include "arcctl/commands.hpp"
#include "arcd/clock.hpp"
#include "cashapp/typed_refs.hpp"
#include "collections/cases.hpp"
#include "collections/kpis.hpp"
#include "collections/run.hpp"
#include "collections/timeline.hpp"
#include "collections/worklist.hpp"

namespace arcd::arcctl {
namespace json = boost::json;

namespace {

Date as_of(Context& c) {
  if (auto v = c.option("as-of")) {
    auto d = Date::parse(*v);
    if (!d) throw Error("CLI_USAGE", "--as-of '" + *v + "' is not a date (YYYY-MM-DD)");
    return *d;
  }
  return make_system_clock()->today();
}

Date date_option(Context& c, const char* name, const char* what) {
  const auto text = required(c, name, what);
  auto d = Date::parse(text);
  if (!d) throw Error("CLI_USAGE", std::string("--") + name + " '" + text + "' is not a date (YYYY-MM-DD)");
  return *d;
}

template <class T>
T must(Result<T> r) {
  if (!r) throw Error(r.problem().code, r.problem().to_string());
  return r.value();
}

Invoice one_invoice(Context& c, Transaction& tx) {
  if (c.invoices.size() != 1) throw Error("CLI_USAGE", "name one --invoice NUMBER (or #ID)");
  return must(cashapp::invoice_by_ref(tx, c.invoices.front()));
}

std::optional<Money> amount_option(Context& c, const Invoice& inv) {
  auto v = c.option("amount");
  if (!v) return std::nullopt;
  try {
    return Money::parse(*v, inv.amount_open.currency());
  } catch (const Error& e) {
    throw Error("CLI_USAGE", "--amount '" + *v + "': " + e.detail());
  }
}

std::optional<CustomerId> customer_filter(Context& c, Transaction& tx) {
  auto v = c.option("customer");
  if (!v) return std::nullopt;
  return must(cashapp::customer_by_ref(tx, *v)).id;
}

}  // namespace

int cmd_collections_run(Context& c) {
  const auto& cfg = c.config();
  Store& store = c.migrated_store();
  collections::RunOptions o;
  o.as_of = as_of(c);
  o.dry_run = c.option("dry-run").has_value();
  o.full = c.option("full").has_value();
  o.actor = cli_actor();
  const auto templates = collections::TemplateSet::load(cfg.collections.templates_dir);
  const auto clock = make_system_clock();
  const auto r = collections::run_collections(store, *clock, cfg.collections, templates, o, nullptr);
  if (c.format == Format::json) {
    c.out << collections::report_json(r) << "\n";
    return 0;
  }
  Table t({"customer", "action", "stage", "currency", "invoices", "detail", "why"});
  for (const auto& a : r.actions) {
    std::string invoices;
    for (const auto& n : a.invoices) invoices += (invoices.empty() ? "" : " ") + n;
    t.add({json::value(a.customer), json::value(a.kind), json::value(a.stage), json::value(a.currency), json::value(invoices),
           json::value(a.detail), json::value(a.why)});
  }
  t.print(c.out, c.format);
  c.out << (o.dry_run ? "dry run (nothing written): " : "") << r.customers << " customers, " << r.invoices << " open invoices, "
        << r.stages_fired << " stages fired, " << r.stages_skipped << " skipped, " << r.emails << " emails, " << r.tasks
        << " tasks; paused: " << r.paused_dispute << " disputed, " << r.paused_ptp << " promised, " << r.paused_hold << " held"
        << (r.cash_stale ? "; overdue reminders held back: " + r.cash_stale_detail : "") << "\n";
  return 0;
}

int cmd_worklist(Context& c) {
  const auto& cfg = c.config();
  auto tx = c.migrated_store().begin();
  const auto items = collections::worklist(*tx, cfg.collections, as_of(c), c.option("collector"), page_option(c).limit);
  Table t({"score", "customer", "name", "collector", "overdue", "oldest_days", "broken_promises", "risk", "why", "next_action"});
  for (const auto& i : items) {
    std::string overdue, why;
    for (const auto& m : i.overdue) overdue += (overdue.empty() ? "" : " + ") + m.to_display();
    for (const auto& r : i.reasons) why += (why.empty() ? "" : "; ") + r;
    t.add({i.score, json::value(i.customer.external_id), json::value(i.customer.name), json::value(i.collector),
           json::value(overdue), i.oldest_days_overdue, i.broken_promises, json::value(i.customer.risk_class), json::value(why),
           json::value(i.next_action)});
  }
  t.print(c.out, c.format);
  return 0;
}

int cmd_disputes_open(Context& c) {
  const auto& cfg = c.config();
  auto tx = c.migrated_store().begin();
  const Invoice inv = one_invoice(c, *tx);
  collections::DisputeRequest r{inv.id, amount_option(c, inv), required(c, "reason", "a dispute reason code"),
                                c.option("owner").value_or(""), c.option("note").value_or("")};
  auto id = collections::open_dispute(*tx, cfg.collections, r, cli_actor());
  if (!id) return finish(c, *tx, id.problem());
  return finish(c, *tx, Result<std::string>("dispute " + id.value().to_string() + " opened on " + inv.number));
}

int cmd_disputes_resolve(Context& c) {
  const DisputeId id(id_word(c, "dispute id"));
  auto tx = c.migrated_store().begin();
  auto r = collections::resolve_dispute(*tx, id, required(c, "resolution", "customer_pays, credit_note, written_off or rejected"),
                                        c.option("note").value_or(""), cli_actor());
  if (!r) return finish(c, *tx, r.problem());
  return finish(c, *tx, Result<std::string>("dispute " + id.to_string() + " resolved"));
}

int cmd_disputes_list(Context& c) {
  auto tx = c.migrated_store().begin();
  DisputeFilter f;
  f.customer = customer_filter(c, *tx);
  if (auto v = c.option("status")) {
    if (*v != "open" && *v != "closed") throw Error("CLI_USAGE", "--status is open or closed");
    f.open = *v == "open";
  }
  Table t({"id", "invoice", "reason", "amount", "owner", "open", "opened_by", "opened_at", "resolution", "note"});
  for (const auto& d : tx->disputes().list(f, page_option(c))) {
    const auto inv = tx->invoices().get(d.invoice_id);
    t.add({d.id.value(), json::value(inv ? inv->number : d.invoice_id.to_string()), json::value(d.reason),
           json::value(d.amount ? d.amount->to_display() : "whole invoice"), json::value(d.owner), d.open, json::value(d.opened_by),
           json::value(to_iso8601(d.opened_at)), json::value(d.resolution), json::value(d.note)});
  }
  t.print(c.out, c.format);
  return 0;
}

int cmd_holds_add(Context& c) {
  const auto& cfg = c.config();
  auto tx = c.migrated_store().begin();
  const Customer cust = must(cashapp::customer_by_ref(*tx, required(c, "customer", "the customer's external id (or #ID)")));
  collections::HoldRequest r;
  r.customer = cust.id;
  if (!c.invoices.empty()) r.invoice = one_invoice(c, *tx).id;
  r.reason = required(c, "reason", "why the customer is held");
  r.until = date_option(c, "until", "the last day held");
  if (auto v = c.option("renews")) r.renews = HoldId(std::stoll(*v));
  auto id = collections::add_hold(*tx, cfg.collections, r, make_system_clock()->today(), cli_actor());
  if (!id) return finish(c, *tx, id.problem());
  return finish(c, *tx, Result<std::string>("hold " + id.value().to_string() + " placed until " + r.until.to_string()));
}

int cmd_holds_end(Context& c) {
  const HoldId id(id_word(c, "hold id"));
  auto tx = c.migrated_store().begin();
  auto r = collections::end_hold(*tx, c.config().collections, id, make_system_clock()->today(), cli_actor());
  if (!r) return finish(c, *tx, r.problem());
  return finish(c, *tx, Result<std::string>("hold " + id.to_string() + " ended"));
}

int cmd_holds_list(Context& c) {
  auto tx = c.migrated_store().begin();
  Table t({"id", "customer", "invoice", "reason", "starts_on", "until", "placed_by", "ended_at", "renews"});
  for (const auto& h : tx->holds().list(customer_filter(c, *tx), page_option(c))) {
    t.add({h.id.value(), h.customer_id.value(), h.invoice_id ? json::value(h.invoice_id->value()) : json::value(nullptr),
           json::value(h.reason), json::value(h.starts_on.to_string()), json::value(h.until.to_string()), json::value(h.placed_by),
           json::value(h.ended_at ? to_iso8601(*h.ended_at) : ""), h.renews ? json::value(h.renews->value()) : json::value(nullptr)});
  }
  t.print(c.out, c.format);
  return 0;
}

int cmd_activities_list(Context& c) {
  auto tx = c.migrated_store().begin();
  const auto customer = customer_filter(c, *tx);
  if (!customer) throw Error("CLI_USAGE", "--customer is required: whose history");
  Table t({"at", "kind", "text", "actor"});
  for (const auto& i : collections::timeline(*tx, *customer))
    t.add({json::value(i.at), json::value(i.kind), json::value(i.text), json::value(i.actor)});
  t.print(c.out, c.format);
  return 0;
}

int cmd_activities_add(Context& c) {
  auto tx = c.migrated_store().begin();
  const Customer cust = must(cashapp::customer_by_ref(*tx, required(c, "customer", "the customer's external id (or #ID)")));
  const auto kind = required(c, "kind", "call or note");
  if (kind != "call" && kind != "note") throw Error("CLI_USAGE", "--kind is call or note");
  const auto id = tx->activities().add_activity({{}, cust.id, kind, required(c, "text", "what was said"), cli_actor(), {}});
  tx->audit().append({{}, {}, cli_actor(), "activity.logged", "customer", cust.id.to_string(), kind, "{}"});
  return finish(c, *tx, Result<std::string>(kind + " " + id.to_string() + " logged for " + cust.external_id));
}

int cmd_tasks_list(Context& c) {
  auto tx = c.migrated_store().begin();
  Table t({"id", "customer", "kind", "title", "due", "assignee"});
  for (const auto& task : tx->activities().open_tasks(c.option("collector")))
    t.add({task.id.value(), task.customer_id.value(), json::value(task.kind), json::value(task.title),
           json::value(task.due ? task.due->to_string() : ""), json::value(task.assignee)});
  t.print(c.out, c.format);
  return 0;
}

int cmd_tasks_done(Context& c) {
  const TaskId id(id_word(c, "task id"));
  const auto outcome = required(c, "outcome", "reached, left_message, promised, disputed, wrong_contact or done");
  static const std::vector<std::string> kOutcomes = {"reached", "left_message", "promised", "disputed", "wrong_contact", "done"};
  if (std::find(kOutcomes.begin(), kOutcomes.end(), outcome) == kOutcomes.end())
    throw Error("CLI_USAGE", "--outcome is reached, left_message, promised, disputed, wrong_contact or done");
  auto tx = c.migrated_store().begin();
  const auto task = tx->activities().task(id);
  if (!task) return finish(c, *tx, Problem{"NOT_FOUND", "task", "no task " + id.to_string()});
  if (!tx->activities().complete_task(id, outcome, c.option("note").value_or(""), cli_actor()))
    return finish(c, *tx, Problem{"CONFLICT", "task", "task " + id.to_string() + " is done already"});
  tx->activities().add_activity({{}, task->customer_id, task->kind == "call" ? "call" : "task",
                                 task->title + ": " + outcome + (c.option("note") ? " — " + *c.option("note") : ""), cli_actor(), {}});
  tx->audit().append({{}, {}, cli_actor(), "task.done", "task", id.to_string(), outcome, "{}"});
  return finish(c, *tx, Result<std::string>("task " + id.to_string() + " done: " + outcome));
}

int cmd_contacts_add(Context& c) {
  auto tx = c.migrated_store().begin();
  const Customer cust = must(cashapp::customer_by_ref(*tx, required(c, "customer", "the customer's external id (or #ID)")));
  const auto email = required(c, "email", "the address");
  if (email.find('@') == std::string::npos) throw Error("CLI_USAGE", "--email '" + email + "' is not an address");
  const auto id = tx->contacts().add({0, cust.id, required(c, "role", "billing, ar or escalation"), c.option("name").value_or(""), email, ""});
  tx->contacts().clear_invalid(id);
  tx->audit().append({{}, {}, cli_actor(), "contact.added", "customer", cust.id.to_string(), email, "{}"});
  return finish(c, *tx, Result<std::string>("contact " + std::to_string(id) + " added for " + cust.external_id));
}

int cmd_contacts_list(Context& c) {
  auto tx = c.migrated_store().begin();
  const auto customer = customer_filter(c, *tx);
  if (!customer) throw Error("CLI_USAGE", "--customer is required");
  Table t({"id", "role", "name", "email", "invalid"});
  for (const auto& k : tx->contacts().of(*customer))
    t.add({k.id, json::value(k.role), json::value(k.name), json::value(k.email), json::value(k.invalid_reason)});
  t.print(c.out, c.format);
  return 0;
}

int cmd_writeoffs_propose(Context& c) {
  auto tx = c.migrated_store().begin();
  const Invoice inv = one_invoice(c, *tx);
  auto id = collections::propose_writeoff(*tx, inv.id, amount_option(c, inv), required(c, "reason", "why it will not be paid"), cli_actor());
  if (!id) return finish(c, *tx, id.problem());
  return finish(c, *tx, Result<std::string>("write-off " + std::to_string(id.value()) + " proposed for " + inv.number));
}

namespace {
int decide(Context& c, bool approve) {
  const auto id = id_word(c, "write-off id");
  const auto& cfg = c.config();
  auto tx = c.migrated_store().begin();
  auto r = collections::decide_writeoff(*tx, id, approve, cli_actor(), cfg.collections.is_manager(cli_actor()));
  if (!r) return finish(c, *tx, r.problem());
  return finish(c, *tx, Result<std::string>("write-off " + std::to_string(id) + (approve ? " approved" : " rejected")));
}
}  // namespace

int cmd_writeoffs_approve(Context& c) { return decide(c, true); }
int cmd_writeoffs_reject(Context& c) { return decide(c, false); }

int cmd_writeoffs_list(Context& c) {
  std::optional<WriteoffState> state;
  if (auto v = c.option("status")) {
    state = parse_writeoff_state(*v);
    if (!state) throw Error("CLI_USAGE", "--status is proposed, approved or rejected");
  }
  auto tx = c.migrated_store().begin();
  Table t({"id", "invoice", "amount", "reason", "state", "proposed_by", "decided_by"});
  for (const auto& w : tx->writeoffs().list(state, std::nullopt, page_option(c))) {
    const auto inv = tx->invoices().get(w.invoice_id);
    t.add({w.id, json::value(inv ? inv->number : w.invoice_id.to_string()), json::value(w.amount.to_display()), json::value(w.reason),
           json::value(std::string(to_string(w.state))), json::value(w.proposed_by), json::value(w.decided_by)});
  }
  t.print(c.out, c.format);
  return 0;
}

int cmd_customers_set(Context& c) {
  const auto& cfg = c.config();
  auto tx = c.migrated_store().begin();
  Customer cust = must(cashapp::customer_by_ref(*tx, required(c, "customer", "the customer's external id (or #ID)")));
  if (auto v = c.option("policy")) {
    if (!v->empty() && !cfg.collections.policies.policies.count(*v)) throw Error("CLI_USAGE", "--policy: no policy named '" + *v + "'");
    cust.collection_policy = *v;
  }
  if (auto v = c.option("collector")) cust.collector = *v;
  if (auto v = c.option("account-manager")) cust.account_manager = *v;
  if (auto v = c.option("language")) cust.language = *v;
  tx->customers().set_collections_profile(cust);
  tx->audit().append({{}, {}, cli_actor(), "customer.collections_profile", "customer", cust.id.to_string(), "",
                      json::serialize(json::object{{"policy", cust.collection_policy},
                                                   {"collector", cust.collector},
                                                   {"account_manager", cust.account_manager},
                                                   {"language", cust.language}})});
  return finish(c, *tx, Result<std::string>("customer " + cust.external_id + " updated"));
}

int cmd_invoices_set_policy(Context& c) {
  const auto& cfg = c.config();
  auto tx = c.migrated_store().begin();
  const Invoice inv = one_invoice(c, *tx);
  const auto policy = c.option("policy").value_or("");
  if (!policy.empty() && !cfg.collections.policies.policies.count(policy))
    throw Error("CLI_USAGE", "--policy: no policy named '" + policy + "'");
  tx->invoices().set_collection_policy(inv.id, policy);
  tx->audit().append({{}, {}, cli_actor(), "invoice.collection_policy", "invoice", inv.id.to_string(), policy, "{}"});
  return finish(c, *tx, Result<std::string>("invoice " + inv.number + (policy.empty() ? " follows its customer's policy" : " follows " + policy)));
}

int cmd_kpis(Context& c) {
  auto tx = c.migrated_store().begin();
  const auto k = collections::compute_kpis(*tx, as_of(c));
  Table t({"currency", "ar", "current", "1_30", "31_60", "61_90", "over_90", "dso_standard", "dso_countback", "best_possible_dso",
           "average_days_delinquent", "cei", "bad_debt_ratio", "unapplied"});
  for (const auto& ck : k.currencies) {
    t.add({json::value(ck.currency), json::value(ck.ar.to_string()), json::value(ck.aging[0].to_string()),
           json::value(ck.aging[1].to_string()), json::value(ck.aging[2].to_string()), json::value(ck.aging[3].to_string()),
           json::value(ck.aging[4].to_string()), json::value(ck.dso_standard), json::value(ck.dso_countback),
           json::value(ck.best_possible_dso), json::value(ck.average_days_delinquent), json::value(ck.cei),
           json::value(ck.bad_debt_ratio), json::value(ck.unapplied.to_string())});
  }
  if (c.format == Format::json) {
    json::array disputes;
    for (const auto& d : k.disputes)
      disputes.push_back({{"reason", d.reason}, {"currency", d.currency}, {"count", d.count}, {"value", d.value.to_string()}});
    c.out << json::serialize(json::object{{"as_of", k.as_of.to_string()},
                                          {"currencies", t.to_json()},
                                          {"disputes", std::move(disputes)},
                                          {"auto_match_rate", k.auto_match_rate},
                                          {"applications_30d", k.applications_30d},
                                          {"ptp_kept_rate", k.ptp_kept_rate}})
          << "\n";
    return 0;
  }
  t.print(c.out, c.format);
  c.out << "as of " << k.as_of.to_string() << ": auto-match rate " << (k.auto_match_rate.empty() ? "-" : k.auto_match_rate + "%")
        << " (" << k.applications_30d << " applications in 30 days), PTP kept rate "
        << (k.ptp_kept_rate.empty() ? "-" : k.ptp_kept_rate + "%") << "\n";
  for (const auto& d : k.disputes)
    c.out << "open disputes " << d.reason << ": " << d.count << ", " << d.value.to_display() << "\n";
  return 0;
}

}  // namespace arcd::arcctl
