#include "cash_fixture.hpp"

#include "arcd/erp_connector.hpp"
#include "cashapp/invariant.hpp"
#include "sync/invoice_sync.hpp"

namespace arcd::test {

CashStore::CashStore(const std::string& backend)
    : db_(std::make_unique<TestDatabase>(backend)),
      clock_(std::make_shared<ManualClock>(parse_iso8601("2026-11-20T09:00:00Z").value())) {
  store_ = open_store({db_->url(), 2, 5000}, clock_);
  store_->migrate();
  settings.small_difference = {"2.00", "1"};
  settings.bank_charges = {"15.00", "2"};
}

void CashStore::invoices(const std::vector<InvoiceSpec>& specs) {
  InvoiceBatch batch;
  batch.origin = "test";
  for (const auto& s : specs) {
    InvoiceRecord r;
    r.invoice_number = s.number;
    r.customer_external_id = s.customer;
    r.customer_name = s.customer_name.empty() ? "Customer " + s.customer : s.customer_name;
    r.customer_iban = s.customer_iban;
    const Currency c = Currency::of(s.currency);
    r.amount_total = Money::parse(s.amount, c);
    r.amount_open = Money::parse(s.open.empty() ? s.amount : s.open, c);
    r.issue_date = Date::parse_or_throw(s.due).plus_days(-30);
    r.due_date = Date::parse_or_throw(s.due);
    r.payment_reference = s.payment_reference;
    batch.records.push_back(r);
  }
  sync::import_invoices(*store_, "erp", batch, "test");
}

std::vector<EntryId> CashStore::credits(const std::vector<CreditSpec>& specs) {
  auto tx = store_->begin();
  const std::string sha = "test-file-" + std::to_string(++files_);
  tx->statements().store_raw_file(sha, sha, "bytes");
  Statement st;
  st.kind = "statement";
  st.format = "test";
  st.file_sha256 = sha;
  st.account = "DE89370400440532013000";
  st.currency = Currency::of(specs.front().currency);
  const StatementId sid = tx->statements().insert(st);
  std::vector<EntryId> ids;
  int position = 0;
  for (const auto& s : specs) {
    Entry e;
    e.statement_id = sid;
    e.position = position++;
    e.entry_key = sha + "#" + std::to_string(e.position);
    e.amount = e.entry_amount = Money::parse(s.amount, Currency::of(s.currency));
    e.direction = s.debit ? Direction::debit : Direction::credit;
    e.reversal = s.reversal;
    e.booking_date = e.value_date = utc_date(clock_->now());
    e.remittance = s.remittance;
    e.structured_reference = s.reference;
    if (!s.reference.empty()) e.details.creditor_references.push_back({"SCOR", "", s.reference});
    e.payer_name = s.payer_name;
    e.payer_account = s.payer_account;
    e.end_to_end_id = s.end_to_end_id;
    e.batch_key = s.batch_key;
    if (s.charges) e.details.charges = Money::parse(*s.charges, Currency::of(s.currency));
    e.details.exchange_rate = s.exchange_rate;
    e.details.source_currency = s.source_currency;
    e.details.target_currency = s.target_currency;
    e.details.return_reason = s.return_reason;
    for (const auto& d : s.referred_documents) e.details.referred_documents.push_back({d, std::nullopt});
    ids.push_back(tx->entries().insert(e));
  }
  tx->commit();
  return ids;
}

EntryId CashStore::credit(const CreditSpec& spec) { return credits({spec}).front(); }

cashapp::RunSummary CashStore::run() {
  // As the daemon runs it: what each batch touched is checked beside the run. Then everything.
  auto s = cashapp::run_cash_application(*store_, settings, *clock_);
  EXPECT_TRUE(s.invariant_ok) << s.invariant;
  auto tx = store_->begin();
  const auto full = cashapp::check_cash_invariant(*tx);
  EXPECT_TRUE(full.ok()) << full.to_string();
  return s;
}

Invoice CashStore::invoice(const std::string& number) {
  auto tx = store_->begin();
  auto i = tx->invoices().find_by_number("erp", number);
  if (!i) throw std::runtime_error("no invoice " + number);
  return *i;
}

std::vector<Application> CashStore::applications(EntryId entry) {
  auto tx = store_->begin();
  return tx->applications().for_entry(entry);
}

std::optional<CashException> CashStore::queued(EntryId entry) {
  auto tx = store_->begin();
  return tx->cash().exception(entry);
}

CustomerId CashStore::customer(const std::string& external_id) {
  auto tx = store_->begin();
  return tx->customers().find_by_external_id("erp", external_id)->id;
}

}  // namespace arcd::test
