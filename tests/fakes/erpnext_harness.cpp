// The fake ERPNext with either the built-in ERPNext connector or the generic REST connector
// reading the shipped config/mappings/erpnext.toml: both must pass the same cases.
#include "connectors/erpnext/erpnext_connector.hpp"
#include "connectors/rest/rest_connector.hpp"
#include "erp_harness.hpp"
#include "fake_erpnext.hpp"
#include "test_support.hpp"

namespace arcd::fakes {

connectors::RestSettings erpnext_rest_settings(const std::string& url) {
  connectors::RestSettings s;
  s.http.base_url = url;
  s.http.timeout = std::chrono::seconds(5);
  const auto file = std::filesystem::path(ARCD_SOURCE_DIR) / "config" / "mappings" / "erpnext.toml";
  s.mapping = mapping::rest::parse_rest_mapping(test::read_file(file), file.string());
  s.params = {{"api_key", FakeErpNext::kKey},    {"api_secret", FakeErpNext::kSecret}, {"company", "Acme Corp"},
              {"paid_to", "Bank Account - AC"}, {"mode_of_payment", "Wire Transfer"}};
  return s;
}

namespace {

class ErpNextHarness final : public ErpHarness {
 public:
  explicit ErpNextHarness(bool generic) : generic_(generic) {}
  std::string name() const override { return generic_ ? "rest_erpnext" : "erpnext"; }
  std::unique_ptr<ErpConnector> connector() override {
    if (generic_) return std::make_unique<connectors::RestConnector>(erpnext_rest_settings(fake_.url()));
    connectors::ErpNextSettings s;
    s.http.base_url = fake_.url();
    s.http.timeout = std::chrono::seconds(5);
    s.api_key = FakeErpNext::kKey;
    s.api_secret = FakeErpNext::kSecret;
    s.payment = {"Acme Corp", "Bank Account - AC", "", "Wire Transfer"};
    return std::make_unique<connectors::ErpNextConnector>(s);
  }
  FakeHttpServer& server() override { return fake_.server(); }
  void load_fixture_dataset() override { fake_.load_fixture_dataset(); }
  std::vector<std::string> add_invoices(int count, const std::string& modified) override {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const std::string name = "ACC-SINV-2024-" + std::to_string(10000 + next_++);
      fake_.add_invoice(name, "Deco Addict", "2024-04-20", "2024-05-20", "100.00", "100.00", modified);
      ids.push_back(name);
    }
    return ids;
  }
  std::string stamp(int seconds) const override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "2024-05-10 12:%02d:%02d.%06d", seconds / 60, seconds % 60, 500000);
    return buf;
  }
  void set_now(int seconds) override { fake_.set_now(stamp(seconds)); }
  std::string deco_invoice_id() const override { return "ACC-SINV-2024-00007"; }
  std::string deco_invoice_number() const override { return "ACC-SINV-2024-00007"; }
  std::string deco_customer_id() const override { return "Deco Addict"; }
  std::string residual(const std::string& id) const override { return fake_.outstanding_of(id); }
  int live_payments_with(const std::string& key) const override { return fake_.submitted_payments_with(key); }
  std::vector<std::string> notes_on(const std::string& id) const override { return fake_.comments_on(id); }
  std::string payment_create_marker() const override { return "\"payment_type\""; }
  // Tokens do not expire in ERPNext: the same key works again.
  void expire_session() override {}
  void break_credentials() override { fake_.set_secret("rotated"); }

 private:
  bool generic_;
  FakeErpNext fake_;
  int next_ = 0;
};

}  // namespace

std::unique_ptr<ErpHarness> make_erpnext_harness() { return std::make_unique<ErpNextHarness>(false); }
std::unique_ptr<ErpHarness> make_rest_erpnext_harness() { return std::make_unique<ErpNextHarness>(true); }

}  // namespace arcd::fakes
