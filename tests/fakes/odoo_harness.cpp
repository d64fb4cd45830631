#include "connectors/odoo/odoo_connector.hpp"
#include "erp_harness.hpp"
#include "fake_odoo.hpp"

namespace arcd::fakes {
namespace {

class OdooHarness final : public ErpHarness {
 public:
  OdooHarness(int version, std::string protocol) : fake_(version), version_(version), protocol_(std::move(protocol)) {}
  std::string name() const override { return "odoo" + std::to_string(version_) + "_" + protocol_; }
  std::unique_ptr<ErpConnector> connector() override {
    connectors::OdooSettings s;
    s.http.base_url = fake_.url();
    s.http.timeout = std::chrono::seconds(5);
    s.protocol = protocol_;
    s.database = FakeOdoo::kDatabase;
    s.login = FakeOdoo::kLogin;
    s.api_key = FakeOdoo::kApiKey;
    s.journal_id = 7;
    return std::make_unique<connectors::OdooConnector>(s);
  }
  FakeHttpServer& server() override { return fake_.server(); }
  void load_fixture_dataset() override { fake_.load_fixture_dataset(); }
  std::vector<std::string> add_invoices(int count, const std::string& modified) override {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      const std::int64_t id = 1000 + next_++;
      fake_.add_invoice({id, "INV/2024/" + std::to_string(id), 9, "2024-04-20", "2024-05-20", "100.00", "100.00", "EUR",
                         "INV/2024/" + std::to_string(id), "posted", modified});
      ids.push_back(std::to_string(id));
    }
    return ids;
  }
  std::string stamp(int seconds) const override {
    char buf[32];
    std::snprintf(buf, sizeof buf, "2024-05-10 10:%02d:%02d", seconds / 60, seconds % 60);
    return buf;
  }
  void set_now(int seconds) override { fake_.set_now(stamp(seconds)); }
  std::string deco_invoice_id() const override { return "42"; }
  std::string deco_invoice_number() const override { return "INV/2024/00007"; }
  std::string deco_customer_id() const override { return "9"; }
  std::string residual(const std::string& id) const override { return fake_.residual_of(std::stoll(id)); }
  int live_payments_with(const std::string& key) const override {
    int n = 0;
    for (const auto& p : fake_.payments()) n += p.memo == key && p.state == "posted";
    return n;
  }
  std::vector<std::string> notes_on(const std::string& id) const override { return fake_.messages_on(std::stoll(id)); }
  std::string payment_create_marker() const override { return "action_create_payments"; }
  void expire_session() override { fake_.expire_session(); }
  void break_credentials() override { fake_.set_api_key("rotated-elsewhere"); }

 private:
  FakeOdoo fake_;
  int version_;
  std::string protocol_;
  int next_ = 0;
};

}  // namespace

std::unique_ptr<ErpHarness> make_odoo_harness(int version, const std::string& protocol) {
  return std::make_unique<OdooHarness>(version, protocol);
}

}  // namespace arcd::fakes
