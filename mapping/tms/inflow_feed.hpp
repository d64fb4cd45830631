#pragma once
// The arcd inflow feed treasury systems receive (docs/inflow-feed.schema.json): a full
// snapshot of expected inflows over a horizon, each flow under a stable `reference` a
// receiver upserts by, and the references that vanished since the last snapshot. As JSON
// (the HTTPS push) and as the arcd CSV layout (file exports). Pure: no clock, no I/O.

#include <optional>
#include <string>
#include <vector>

#include "arcd/date.hpp"
#include "arcd/money.hpp"

namespace arcd::mapping::tms {

struct FeedFlow {
  std::string entity;
  std::string account_id;    // the bank account it is expected on ("" when unknown)
  Date value_date;
  Money amount = Money::unset();
  std::string category = "AR_COLLECTION";
  std::string certainty;     // PROMISED (a promise to pay), PREDICTED (behaviour), CONTRACTUAL (due date)
  int probability_percent = 0;
  std::string counterparty_id, counterparty_name;
  std::string reference;     // stable upsert key
  std::string invoice_number;
  Date due_date;
  std::string source_erp;
  std::int64_t ptp_id = 0;   // the promise behind a PROMISED flow (0: none)
};

// Cash arcd applied to an invoice since the last feed, so a receiver can turn the forecast it
// held for that invoice into an actual. Negative when an application was undone.
struct Receipt {
  std::string reference;     // the invoice's flow reference ("arcd:<source>:<invoice id>")
  std::int64_t application_id = 0;
  std::string entity;
  std::string account_id;    // the bank account it came into
  Date value_date;
  Money amount = Money::unset();
  std::string counterparty_id, counterparty_name;
  std::string invoice_number;
};

struct Feed {
  std::string feed_id;
  std::int64_t version = 0;  // increases with every snapshot (0: not written)
  Instant generated_at{};
  Date from, to;
  std::string mode = "snapshot";
  std::vector<std::string> removed_references;
  std::vector<FeedFlow> flows;
  std::vector<Receipt> receipts;  // since the last feed the receiver acknowledged
};

// "version" is written when set and "receipts" when there are any.
std::string feed_json(const Feed& feed);
// Reads what feed_json wrote. Throws arcd::Error FEED_PARSE naming the field.
Feed parse_feed_json(std::string_view text);
// Header line and one line per flow, "\n" line ends; probability with two decimals.
std::string feed_csv(const Feed& feed);
// The same flows in the file layouts treasury systems import:
//   coupa             Coupa Treasury "Cash Flow Import" (AccountID, Amount, Value Date, ...,
//                     Payment Reference = reference, Counterparty, CategoryID, Comment)
//   treasury_systems  Treasury Systems ForecastCSVImporter (LegalEntity, PaymentDate,
//                     ValueDate, ForecastDate = the horizon's start, Currency, Amount,
//                     Counterparty, AP/AR = AR)
//   kyriba            Kyriba cash-flow import, the fields of its cash-flow object (account code,
//                     flow code, budget code CASH_IN, dates, amount, currency, status
//                     CONFIRMED_FORECAST for a promise else FORECAST, reference, description)
// Receipts go only into the arcd layout (rows with certainty ACTUAL, probability 1.00, the
// reference "<flow reference>:receipt:<application id>"): the vendor TMSs take actuals from
// the bank statements they receive themselves, and would count them twice.
enum class FileLayout { arcd, coupa, treasury_systems, kyriba };
// "csv" (arcd), "coupa", "treasury-systems", "kyriba"; nullopt for anything else.
std::optional<FileLayout> parse_file_layout(std::string_view name);
std::string feed_file(const Feed& feed, FileLayout layout);

}  // namespace arcd::mapping::tms

namespace arcd::mapping::tms {

// The headers a feed push carries so the receiver can check it came from arcd and is fresh:
//   X-Arcd-Timestamp: <unix seconds>
//   X-Arcd-Signature: sha256=<hex HMAC-SHA256 under the shared secret of "<timestamp>.<body>">
// A receiver recomputes the HMAC over the timestamp header, a dot and the raw body, compares
// in constant time, and refuses timestamps more than five minutes off its clock (replays).
struct FeedSignature {
  std::string timestamp;
  std::string signature;
};
FeedSignature sign_feed(std::string_view body, std::string_view secret, Instant at);

}  // namespace arcd::mapping::tms
