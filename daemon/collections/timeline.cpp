#include "collections/timeline.hpp"

#include <algorithm>

namespace arcd::collections {

std::vector<TimelineItem> timeline(Transaction& tx, CustomerId customer) {
  std::vector<TimelineItem> out;
  for (const auto& a : tx.activities().activities(customer)) out.push_back({to_iso8601(a.at), a.kind, a.text, a.actor});
  for (Page page{0, 1000};;) {
    const auto comms = tx.dunning().communications(customer, page);
    for (const auto& c : comms) {
      std::string to;
      for (const auto& r : c.recipients) to += (to.empty() ? "" : ", ") + r;
      out.push_back({to_iso8601(c.created_at), "reminder",
                     c.stage + " (" + c.template_name + ", " + c.language + ") to " + (to.empty() ? "nobody" : to) + ": " + c.subject +
                         " [" + c.status + (c.error.empty() ? "" : ": " + c.error) + "]",
                     "system:collections"});
    }
    if (comms.size() < static_cast<std::size_t>(page.limit)) break;
    page.after_id = comms.back().id;
  }
  InvoiceFilter mine;
  mine.customer = customer;
  for (Page page{0, 1000};;) {
    const auto invoices = tx.invoices().list(mine, page);
    for (const auto& i : invoices) {
      for (const auto& s : tx.dunning().stages(i.id)) {
        out.push_back({s.run_date.to_string(), "stage",
                       i.number + " " + (s.fired ? "reached " : "skipped ") + s.stage + " (policy " + s.policy + ")", "system:collections"});
      }
    }
    if (invoices.size() < static_cast<std::size_t>(page.limit)) break;
    page.after_id = invoices.back().id.value();
  }
  for (const auto& t : tx.activities().tasks(customer)) {
    out.push_back({to_iso8601(t.created_at), "task",
                   t.kind + ": " + t.title + (t.assignee.empty() ? "" : " -> " + t.assignee) +
                       (t.done ? " [done: " + t.outcome + (t.note.empty() ? "" : ", " + t.note) + "]" : ""),
                   t.done ? t.completed_by : "system:collections"});
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineItem& a, const TimelineItem& b) { return a.at < b.at; });
  return out;
}

}  // namespace arcd::collections
