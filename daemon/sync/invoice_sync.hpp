#pragma once
// Upserts customers and invoices delivered by an ERP connector, idempotently, in one
// transaction: the same batch twice changes nothing the second time; a changed invoice is
// updated and leaves an audit record naming the fields that changed, old and new.

#include <functional>
#include <string>

#include "arcd/erp_connector.hpp"
#include "arcd/store.hpp"

namespace arcd::sync {

struct SyncSummary {
  int customers_created = 0;
  int customers_updated = 0;
  int invoices_created = 0;
  int invoices_updated = 0;
  int invoices_unchanged = 0;
  std::string to_string() const;  // "3 invoices created, 1 updated, 296 unchanged; 2 customers created, 0 updated"
};

// `source` is the connector instance name the records belong to. All or nothing: throws
// arcd::Error (DB_*) and leaves the database untouched when any write fails. `also`, when
// given, writes more in the same transaction (an ERP pull's cursor).
SyncSummary import_invoices(Store& store, const std::string& source, const InvoiceBatch& batch, const Actor& actor,
                            const std::function<void(Transaction&)>& also = {});

}  // namespace arcd::sync
