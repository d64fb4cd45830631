// arcctl invoices import FILE.csv | invoices list
#include <boost/json.hpp>

#include "arcctl/commands.hpp"
#include "arcd/error.hpp"
#include "connectors/file_util.hpp"
#include "mapping/invoice_csv.hpp"
#include "sync/invoice_sync.hpp"

namespace arcd::arcctl {
namespace json = boost::json;

namespace {

// The connector whose column mapping and source name apply: --source NAME, else the only csv
// connector configured, else plain defaults under the source name "csv".
app::CsvConnectorSection connector_for(Context& c) {
  const auto& list = c.config().csv_connectors;
  if (auto name = c.option("source")) {
    for (const auto& k : list)
      if (k.name == *name) return k;
    app::CsvConnectorSection adhoc;
    adhoc.name = *name;
    return adhoc;
  }
  if (list.size() == 1) return list.front();
  if (list.size() > 1) throw Error("CLI_USAGE", "several csv connectors are configured; say which with --source NAME");
  app::CsvConnectorSection d;
  d.name = "csv";
  return d;
}

}  // namespace

int cmd_invoices_import(Context& c) {
  if (c.words.empty()) throw Error("CLI_USAGE", "invoices import needs at least one FILE.csv");
  const auto connector = connector_for(c);
  Store& store = c.migrated_store();
  int failures = 0;
  for (const auto& file : c.words) {
    auto bytes = connectors::read_file_limited(file, connector.max_file_bytes);
    if (!bytes) {
      c.err << bytes.problem().to_string() << "\n";
      ++failures;
      continue;
    }
    auto batch = mapping::parse_invoice_csv(bytes.value(), file, connector.csv);
    if (!batch) {
      c.err << batch.problem().to_string() << "\n";
      ++failures;
      continue;
    }
    const auto summary = sync::import_invoices(store, connector.name, batch.value(), "cli:" + std::string(getenv("USER") ? getenv("USER") : "arcctl"));
    if (c.format == Format::json) {
      c.out << json::serialize(json::object{{"file", file},
                                            {"source", connector.name},
                                            {"invoices_created", summary.invoices_created},
                                            {"invoices_updated", summary.invoices_updated},
                                            {"invoices_unchanged", summary.invoices_unchanged},
                                            {"customers_created", summary.customers_created},
                                            {"customers_updated", summary.customers_updated}})
            << "\n";
    } else {
      c.out << file << ": " << summary.to_string() << "\n";
    }
  }
  return failures ? 1 : 0;
}

int cmd_invoices_list(Context& c) {
  InvoiceFilter filter;
  if (auto v = c.option("customer")) filter.customer = CustomerId(std::stoll(*v));
  if (auto v = c.option("status")) {
    filter.status = parse_invoice_status(*v);
    if (!filter.status) throw Error("CLI_USAGE", "--status must be open, paid or cancelled");
  }
  if (auto v = c.option("source")) filter.source = *v;
  Page page;
  page.limit = c.option("limit") ? std::stoi(*c.option("limit")) : 1000;
  if (auto v = c.option("after")) page.after_id = std::stoll(*v);
  auto tx = c.migrated_store().begin();
  Table t({"id", "source", "number", "customer_id", "issue_date", "due_date", "currency", "amount_total", "amount_open",
           "status", "payment_reference"});
  for (const auto& i : tx->invoices().list(filter, page)) {
    t.add({i.id.value(), json::value(i.source), json::value(i.number), i.customer_id.value(),
           json::value(i.issue_date.to_string()), json::value(i.due_date.to_string()),
           json::value(std::string(i.amount_total.currency().code())), json::value(i.amount_total.to_string()),
           json::value(i.amount_open.to_string()), json::value(std::string(to_string(i.status))),
           json::value(i.payment_reference)});
  }
  t.print(c.out, c.format);
  return 0;
}

}  // namespace arcd::arcctl
