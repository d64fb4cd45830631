#pragma once
// ERP connector types by name ("odoo", ...), each a factory from its settings. The daemon's
// main fills one registry with the built-in types; a connector instance in the configuration
// names its type, and the daemon asks the registry for as many connectors of it as it needs
// (one per parallel delivery lane).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "arcd/erp_connector.hpp"
#include "connectors/http_client.hpp"
#include "connectors/bc/bc_connector.hpp"
#include "connectors/erpnext/erpnext_connector.hpp"
#include "connectors/odoo/odoo_connector.hpp"
#include "connectors/rest/rest_connector.hpp"

namespace arcd::connectors {

// What any ERP connector type may need; each type reads its own part.
struct ErpConnectorSettings {
  std::string name;  // the instance
  std::string type;
  HttpSettings http;
  OdooSettings odoo;        // type "odoo" (its http is taken from `http`)
  ErpNextSettings erpnext;  // type "erpnext" (likewise)
  RestSettings rest;        // type "rest": the mapping file and its parameters (likewise)
  BusinessCentralSettings business_central;  // type "business_central" (likewise)
};

class ErpRegistry {
 public:
  using Factory = std::function<std::unique_ptr<ErpConnector>(const ErpConnectorSettings&)>;
  void add(const std::string& type, Factory factory);
  bool has(const std::string& type) const { return factories_.count(type) > 0; }
  std::vector<std::string> types() const;
  // Throws arcd::Error CFG_RANGE for an unknown type.
  std::unique_ptr<ErpConnector> make(const ErpConnectorSettings& settings) const;

 private:
  std::map<std::string, Factory> factories_;
};

// Adds the connector types this build carries: odoo, erpnext, business_central, rest.
void register_builtin_erp_connectors(ErpRegistry& registry);

}  // namespace arcd::connectors
