// arcctl customers list | customers show ID [--as-of DATE]
#include <boost/json.hpp>

#include "arcctl/commands.hpp"
#include "arcd/aging.hpp"
#include "collections/balances.hpp"
#include "arcd/clock.hpp"
#include "arcd/error.hpp"

namespace arcd::arcctl {
namespace json = boost::json;

int cmd_customers_list(Context& c) {
  Page page;
  page.limit = c.option("limit") ? std::stoi(*c.option("limit")) : 1000;
  if (auto v = c.option("after")) page.after_id = std::stoll(*v);
  auto tx = c.migrated_store().begin();
  Table t({"id", "source", "external_id", "name", "email"});
  for (const auto& cu : tx->customers().list(page)) {
    t.add({cu.id.value(), json::value(cu.source), json::value(cu.external_id), json::value(cu.name), json::value(cu.email)});
  }
  t.print(c.out, c.format);
  return 0;
}

namespace {

// ID is arcd's numeric id, or the ERP's customer id within --source (default "csv").
std::optional<Customer> find_customer(Context& c, Transaction& tx, const std::string& id) {
  if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos) {
    if (auto found = tx.customers().get(CustomerId(std::stoll(id)))) return found;
  }
  std::vector<std::string> sources;
  if (auto s = c.option("source")) sources.push_back(*s);
  else {
    for (const auto& k : c.config().csv_connectors) sources.push_back(k.name);
    sources.push_back("csv");
  }
  for (const auto& s : sources)
    if (auto found = tx.customers().find_by_external_id(s, id)) return found;
  return std::nullopt;
}

}  // namespace

int cmd_customers_show(Context& c) {
  if (c.words.size() != 1) throw Error("CLI_USAGE", "customers show needs exactly one customer ID");
  const Date as_of = c.option("as-of") ? Date::parse_or_throw(*c.option("as-of")) : make_system_clock()->today();
  auto tx = c.migrated_store().begin();
  auto customer = find_customer(c, *tx, c.words.front());
  if (!customer) {
    c.err << "CUSTOMER_NOT_FOUND: no customer '" << c.words.front() << "'\n";
    return 1;
  }
  const auto balance = collections::customer_balance(*tx, customer->id, as_of);
  const auto& open = balance.open_invoices;
  const auto& aging = balance.aging;

  std::vector<std::string> columns = {"currency", "open", "overdue"};
  for (std::size_t b = 0; b < kAgingBucketCount; ++b) columns.emplace_back(to_string(static_cast<AgingBucket>(b)));
  Table balances(columns);
  for (const auto& [code, a] : aging) {
    std::vector<json::value> row = {json::value(code), json::value(a.open_total.to_string()), json::value(a.overdue_total.to_string())};
    for (const auto& m : a.buckets) row.emplace_back(m.to_string());
    balances.add(std::move(row));
  }
  json::array accounts;
  for (const auto& a : tx->customers().accounts(customer->id)) accounts.push_back(json::object{{"account", a.account}, {"origin", a.origin}});
  // Cash received and not tied to an invoice: what the customer really owes is open less this.
  const auto& credit = balance.on_account;
  json::array on_account;
  for (const auto& m : credit) on_account.push_back(json::object{{"currency", std::string(m.currency().code())}, {"amount", m.to_string()}});

  if (c.format == Format::json) {
    c.out << json::serialize(json::object{{"id", customer->id.value()},
                                          {"source", customer->source},
                                          {"external_id", customer->external_id},
                                          {"name", customer->name},
                                          {"email", customer->email},
                                          {"accounts", accounts},
                                          {"as_of", as_of.to_string()},
                                          {"open_invoices", static_cast<std::int64_t>(open.size())},
                                          {"balances", balances.to_json()},
                                          {"on_account", on_account}})
          << "\n";
  } else if (c.format == Format::csv) {
    balances.print(c.out, Format::csv);
  } else {
    c.out << "customer " << customer->id.value() << "  " << customer->name << "  (" << customer->source << ":"
          << customer->external_id << ")\n";
    if (!customer->email.empty()) c.out << "email    " << customer->email << "\n";
    for (const auto& a : accounts) c.out << "account  " << cell_text(a.as_object().at("account")) << " (" << cell_text(a.as_object().at("origin")) << ")\n";
    c.out << "open invoices: " << open.size() << ", aging as of " << as_of.to_string() << "\n";
    for (const auto& m : credit) c.out << "on account: " << m.to_display() << "\n";
    c.out << "\n";
    balances.print(c.out, Format::table);
  }
  return 0;
}

}  // namespace arcd::arcctl
