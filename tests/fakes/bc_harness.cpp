#include "connectors/bc/bc_connector.hpp"
#include "erp_harness.hpp"
#include "fake_bc.hpp"

namespace arcd::fakes {
namespace {

class BusinessCentralHarness final : public ErpHarness {
 public:
  std::string name() const override { return "business_central"; }
  std::unique_ptr<ErpConnector> connector() override {
    connectors::BusinessCentralSettings s;
    s.http.base_url = fake_.api_url();
    s.http.timeout = std::chrono::seconds(5);
    s.token_url = fake_.token_url();
    s.client_id = FakeBusinessCentral::kClientId;
    s.client_secret = FakeBusinessCentral::kClientSecret;
    s.journal_id = FakeBusinessCentral::kJournal;
    s.local_currency = "EUR";
    return std::make_unique<connectors::BusinessCentralConnector>(s);
  }
  FakeHttpServer& server() override { return fake_.server(); }
  void load_fixture_dataset() override { fake_.load_fixture_dataset(); }
  std::vector<std::string> add_invoices(int count, const std::string& modified) override {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const std::string id = "7a000000-0000-4000-8000-" + std::to_string(100000000000 + next_);
      fake_.add_invoice(id, std::to_string(200000 + next_++), "10000", "Deco Addict", "deco.addict82@example.com", "100.00", "100.00",
                        modified);
      ids.push_back(id);
    }
    return ids;
  }
  std::string stamp(int seconds) const override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "2024-05-10T10:%02d:%02d.250Z", seconds / 60, seconds % 60);
    return buf;
  }
  void set_now(int) override {}
  std::string deco_invoice_id() const override { return "9e0f5c9c-44e3-ea11-bb43-000d3a2feca1"; }
  std::string deco_invoice_number() const override { return "103001"; }
  std::string deco_customer_id() const override { return "10000"; }
  std::string residual(const std::string& id) const override { return fake_.remaining_of(id); }
  int live_payments_with(const std::string& key) const override { return fake_.payments_with(key); }
  std::vector<std::string> notes_on(const std::string&) const override { return {}; }
  std::string payment_create_marker() const override { return "\"appliesToInvoiceNumber\""; }
  void expire_session() override { fake_.expire_tokens(); }
  void break_credentials() override { fake_.set_secret("rotated"); }
  bool has_notes() const override { return false; }
  bool cancels_posted_payments() const override { return false; }
  bool payment_moves_modification_stamp() const override { return false; }
  bool refuses_overpayment() const override { return false; }

 private:
  FakeBusinessCentral fake_;
  int next_ = 0;
};

}  // namespace

std::unique_ptr<ErpHarness> make_business_central_harness() { return std::make_unique<BusinessCentralHarness>(); }

}  // namespace arcd::fakes
