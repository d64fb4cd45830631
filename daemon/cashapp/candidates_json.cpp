#include "cashapp/candidates_json.hpp"

#include <boost/json.hpp>

namespace arcd::cashapp {
namespace json = boost::json;

std::string candidates_to_json(const std::vector<Candidate>& candidates, const OpenItems& items) {
  json::array out;
  for (const auto& c : candidates) {
    json::array invoices;
    for (auto id : c.invoices) {
      const auto* i = items.invoice(id);
      if (!i) continue;
      invoices.push_back(json::object{{"id", id.value()},
                                      {"number", i->number},
                                      {"open", Money(i->open, i->currency).to_string()},
                                      {"currency", std::string(i->currency.code())}});
    }
    json::object o{{"rule", c.rule}, {"score", c.score}, {"evidence", c.evidence}, {"invoices", std::move(invoices)}};
    if (c.customer) o["customer"] = json::object{{"id", c.customer->value()}, {"external_id", items.external_id(*c.customer)}};
    out.push_back(std::move(o));
  }
  return json::serialize(out);
}

}  // namespace arcd::cashapp
