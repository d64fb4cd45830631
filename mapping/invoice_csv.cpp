#include "mapping/invoice_csv.hpp"

#include <array>
#include <unordered_map>

#include "arcd/iban.hpp"
#include "mapping/csv_reader.hpp"

namespace arcd::mapping {
namespace {

constexpr std::size_t kRequired = 8;

enum Col : std::size_t {
  kNumber, kCustomerId, kCustomerName, kCurrency, kTotal, kOpen, kIssue, kDue, kPaymentRef, kIban, kEmail, kColCount
};

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

const std::vector<std::string>& invoice_csv_columns() {
  static const std::vector<std::string> cols = {"invoice_number", "customer_id",       "customer_name", "currency",
                                                "amount_total",   "amount_open",       "issue_date",    "due_date",
                                                "payment_reference", "customer_iban",  "customer_email"};
  return cols;
}

bool is_invoice_csv_column(std::string_view name) {
  for (const auto& c : invoice_csv_columns())
    if (c == name) return true;
  return false;
}

Result<InvoiceBatch> parse_invoice_csv(std::string_view text, std::string_view origin, const InvoiceCsvOptions& options) {
  auto rows = read_csv(text, origin, options.delimiter);
  if (!rows) return rows.problem();
  auto& all = rows.value();
  const std::string file(origin);
  if (all.empty()) return Problem{"CSV_EMPTY", file + ":1", "no header line"};

  // Resolve each canonical column to its position in the header.
  const auto& header = all.front();
  std::unordered_map<std::string, std::size_t> position_of;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = trim(header.fields[i]);
    if (!position_of.emplace(name, i).second) {
      return Problem{"CSV_DUPLICATE_COLUMN", file + ":" + std::to_string(header.line), "column '" + name + "' appears twice"};
    }
  }
  const auto& canonical = invoice_csv_columns();
  std::array<std::ptrdiff_t, kColCount> pos;
  std::array<std::string, kColCount> label;
  for (std::size_t c = 0; c < kColCount; ++c) {
    auto mapped = options.column_names.find(canonical[c]);
    label[c] = mapped != options.column_names.end() ? mapped->second : canonical[c];
    auto it = position_of.find(label[c]);
    pos[c] = it == position_of.end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
    if (pos[c] < 0 && c < kRequired) {
      return Problem{"CSV_MISSING_COLUMN", file + ":" + std::to_string(header.line),
                     "required column '" + label[c] + "' is not in the header"};
    }
  }

  InvoiceBatch batch;
  batch.origin = file;
  batch.records.reserve(all.size() - 1);
  std::unordered_map<std::string, int> line_of_number;
  struct CustomerSeen { std::string name; int line; };
  std::unordered_map<std::string, CustomerSeen> customers;

  for (std::size_t r = 1; r < all.size(); ++r) {
    const auto& row = all[r];
    auto where = [&](std::size_t c) { return file + ":" + std::to_string(row.line) + " column " + label[c]; };
    if (row.fields.size() != header.fields.size()) {
      return Problem{"CSV_FIELD_COUNT", file + ":" + std::to_string(row.line),
                     "expected " + std::to_string(header.fields.size()) + " fields, found " + std::to_string(row.fields.size())};
    }
    auto get = [&](std::size_t c) { return pos[c] < 0 ? std::string() : trim(row.fields[static_cast<std::size_t>(pos[c])]); };
    for (std::size_t c = 0; c < kRequired; ++c) {
      if (get(c).empty()) return Problem{"CSV_REQUIRED_EMPTY", where(c), "a value is required"};
    }

    InvoiceRecord rec;
    rec.line = row.line;
    rec.invoice_number = get(kNumber);
    rec.customer_external_id = get(kCustomerId);
    rec.customer_name = get(kCustomerName);
    rec.customer_email = get(kEmail);
    rec.payment_reference = get(kPaymentRef);

    auto currency = Currency::find(get(kCurrency));
    if (!currency) return Problem{"CSV_BAD_CURRENCY", where(kCurrency), "'" + get(kCurrency) + "' is not an ISO 4217 currency"};
    for (auto c : {kTotal, kOpen}) {
      try {
        Money m = Money::parse(get(c), *currency, options.amount_format);
        (c == kTotal ? rec.amount_total : rec.amount_open) = m;
      } catch (const Error& e) {
        return Problem{"CSV_BAD_AMOUNT", where(c), e.detail()};
      }
    }
    // Credit notes are negative; either way what is open cannot exceed the total or flip sign.
    const auto total = rec.amount_total.minor();
    const auto open = rec.amount_open.minor();
    if ((total >= 0 && (open < 0 || open > total)) || (total < 0 && (open > 0 || open < total))) {
      return Problem{"CSV_OPEN_EXCEEDS_TOTAL", where(kOpen),
                     "open " + rec.amount_open.to_string() + " is outside 0.." + rec.amount_total.to_string()};
    }
    for (auto c : {kIssue, kDue}) {
      auto d = Date::parse(get(c));
      if (!d) return Problem{"CSV_BAD_DATE", where(c), "'" + get(c) + "' is not a date YYYY-MM-DD"};
      (c == kIssue ? rec.issue_date : rec.due_date) = *d;
    }
    if (auto iban = get(kIban); !iban.empty()) {
      rec.customer_iban = normalize_account(iban);
      if (looks_like_iban(rec.customer_iban) && !is_valid_iban(rec.customer_iban)) {
        return Problem{"CSV_BAD_IBAN", where(kIban), "'" + iban + "' fails the IBAN check digits"};
      }
    }
    if (auto [it, fresh] = line_of_number.emplace(rec.invoice_number, row.line); !fresh) {
      return Problem{"CSV_DUPLICATE_INVOICE", where(kNumber),
                     "invoice '" + rec.invoice_number + "' already on line " + std::to_string(it->second)};
    }
    if (auto [it, fresh] = customers.emplace(rec.customer_external_id, CustomerSeen{rec.customer_name, row.line});
        !fresh && it->second.name != rec.customer_name) {
      return Problem{"CSV_CUSTOMER_CONFLICT", where(kCustomerName),
                     "customer '" + rec.customer_external_id + "' is named '" + it->second.name + "' on line " +
                         std::to_string(it->second.line)};
    }
    batch.records.push_back(std::move(rec));
  }
  return batch;
}

}  // namespace arcd::mapping
