#pragma once
// Pulls an ERP's customer invoices into the store: incrementally from the stored cursor (less
// an overlap window, because ERP stamps are not unique, some are truncated and a long ERP
// transaction commits with an older stamp), page by page, each page with its cursor in one
// transaction; and, every `full_sweep_every`, a full sweep of the ERP's open invoices plus a
// re-read of every invoice arcd still holds open that the sweep did not return (some ERPs
// change open amounts without moving the modification stamp). Rate limits are waited out,
// transient failures retried a few times; anything else stops the pull where it is, and the
// next pull resumes from the last committed page.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "arcd/clock.hpp"
#include "arcd/erp_connector.hpp"
#include "arcd/store.hpp"
#include "sync/invoice_sync.hpp"

namespace arcd::sync {

struct ErpPullSettings {
  std::string source;                            // the connector instance name
  int page_size = 200;
  std::chrono::seconds overlap{300};
  std::chrono::seconds full_sweep_every{24 * 3600};
  int max_retries = 5;                           // per page, for transient failures and rate limits
  std::chrono::seconds max_wait{120};            // the longest Retry-After honoured as such
};

struct ErpPullSummary {
  bool full_sweep = false;
  int pages = 0;
  int records = 0;
  int rechecked = 0;   // invoices arcd held open that the sweep did not return, read one by one
  SyncSummary sync;
  std::string cursor;  // after the pull
  std::string to_string() const;
};

struct ErpPullHooks {
  std::function<void(std::chrono::seconds)> sleep;          // default: this thread sleeps
  std::function<void(const ErpPullSummary&)> progress;      // after every page
  const std::atomic<bool>* stop = nullptr;                  // checked between pages
};

// Throws ErpError when the ERP keeps failing (what was committed stays), arcd::Error (DB_*)
// when the store does.
ErpPullSummary pull_from_erp(Store& store, ErpConnector& erp, const ErpPullSettings& settings, const Clock& clock,
                             const Actor& actor, const ErpPullHooks& hooks = {});

}  // namespace arcd::sync
