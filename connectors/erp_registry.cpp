#include "connectors/erp_registry.hpp"

namespace arcd::connectors {

void ErpRegistry::add(const std::string& type, Factory factory) { factories_[type] = std::move(factory); }

std::vector<std::string> ErpRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [t, f] : factories_) out.push_back(t);
  return out;
}

std::unique_ptr<ErpConnector> ErpRegistry::make(const ErpConnectorSettings& s) const {
  auto it = factories_.find(s.type);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& t : types()) known += (known.empty() ? "" : ", ") + t;
    throw Error("CFG_RANGE", "connector " + s.name + ": unknown type '" + s.type + "' (known: " + known + ")");
  }
  return it->second(s);
}

void register_builtin_erp_connectors(ErpRegistry& registry) {
  registry.add("odoo", [](const ErpConnectorSettings& s) {
    OdooSettings o = s.odoo;
    o.http = s.http;
    return std::make_unique<OdooConnector>(o);
  });
  registry.add("erpnext", [](const ErpConnectorSettings& s) {
    ErpNextSettings e = s.erpnext;
    e.http = s.http;
    return std::make_unique<ErpNextConnector>(e);
  });
  registry.add("business_central", [](const ErpConnectorSettings& s) {
    BusinessCentralSettings b = s.business_central;
    b.http = s.http;
    return std::make_unique<BusinessCentralConnector>(b);
  });
  registry.add("rest", [](const ErpConnectorSettings& s) {
    RestSettings r = s.rest;
    r.http = s.http;
    return std::make_unique<RestConnector>(r);
  });
}

}  // namespace arcd::connectors
