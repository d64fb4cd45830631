// The same cases against every ERP connector and its protocol-faithful fake: full sweep,
// incremental pull across pages whose borders fall inside equal timestamps, pushes that are
// idempotent whatever the network did, notes, and every error shape.

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "connectors/erpnext/erpnext_connector.hpp"
#include "connectors/http_lanes.hpp"
#include "connectors/rest/rest_connector.hpp"
#include "erp_harness.hpp"
#include "fake_erpnext.hpp"

namespace arcd {
namespace {

using fakes::ErpHarness;
using fakes::Fault;
using fakes::FaultKind;

struct HarnessCase {
  std::string name;
  std::function<std::unique_ptr<ErpHarness>()> make;
};

// Test names show the connector, not the bytes of the case.
void PrintTo(const HarnessCase& c, std::ostream* os) { *os << c.name; }

std::vector<HarnessCase> harnesses() {
  return {{"odoo17_jsonrpc", [] { return fakes::make_odoo_harness(17, "jsonrpc"); }},
          {"odoo18_jsonrpc", [] { return fakes::make_odoo_harness(18, "jsonrpc"); }},
          {"odoo19_json2", [] { return fakes::make_odoo_harness(19, "json2"); }},
          {"erpnext", [] { return fakes::make_erpnext_harness(); }},
          {"rest_erpnext", [] { return fakes::make_rest_erpnext_harness(); }},
          {"business_central", [] { return fakes::make_business_central_harness(); }}};
}

class ErpConformance : public ::testing::TestWithParam<HarnessCase> {
 protected:
  void SetUp() override {
    h_ = GetParam().make();
    h_->load_fixture_dataset();
    erp_ = h_->connector();
  }
  std::vector<InvoiceRecord> pull_all(const std::string& since, int page_size, int* pages = nullptr) {
    std::vector<InvoiceRecord> out;
    PullQuery q{since, "", page_size};
    for (int n = 1;; ++n) {
      auto page = erp_->pull_invoices(q);
      out.insert(out.end(), page.records.begin(), page.records.end());
      if (pages) *pages = n;
      if (page.next_page_token.empty()) break;
      q.page_token = page.next_page_token;
      EXPECT_LT(n, 1000) << "paging never ends";
      if (n >= 1000) break;
    }
    return out;
  }
  PaymentPush payment(const std::string& key, const std::string& amount) {
    PaymentPush p;
    p.key = key;
    p.invoice_external_id = h_->deco_invoice_id();
    p.invoice_number = h_->deco_invoice_number();
    p.customer_external_id = h_->deco_customer_id();
    p.amount = Money::parse(amount, Currency::of("EUR"));
    p.date = *Date::parse("2024-05-10");
    return p;
  }
  template <class F>
  ErpFailure failure_of(F f) {
    try {
      f();
    } catch (const ErpError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "no ErpError thrown";
    return ErpFailure::transient;
  }
  std::unique_ptr<ErpHarness> h_;
  std::unique_ptr<ErpConnector> erp_;
};

TEST_P(ErpConformance, FullSweepReadsEveryOpenInvoiceWithItsCustomer) {
  const auto all = pull_all("", 50);
  ASSERT_EQ(all.size(), 2u);
  const auto& deco = all[0].external_id == h_->deco_invoice_id() ? all[0] : all[1];
  EXPECT_EQ(deco.invoice_number, h_->deco_invoice_number());
  EXPECT_EQ(deco.customer_external_id, h_->deco_customer_id());
  EXPECT_EQ(deco.customer_name, "Deco Addict");
  EXPECT_EQ(deco.customer_email, "deco.addict82@example.com");
  EXPECT_EQ(deco.amount_total.to_display(), "EUR 1150.00");
  EXPECT_EQ(deco.amount_open.to_display(), "EUR 650.00");
  EXPECT_EQ(deco.issue_date.to_string(), "2024-04-02");
  EXPECT_EQ(deco.due_date.to_string(), "2024-05-02");
  EXPECT_FALSE(deco.modified.empty());
}

TEST_P(ErpConformance, IncrementalPullCrossesPageBordersInsideEqualTimestamps) {
  // 11 invoices share one second: pages of 3 end inside that run four times.
  const auto same = h_->add_invoices(11, h_->stamp(30));
  const auto later = h_->add_invoices(2, h_->stamp(31));
  int pages = 0;
  const auto got = pull_all(h_->stamp(0), 3, &pages);
  std::multiset<std::string> ids;
  for (const auto& r : got) ids.insert(r.external_id);
  for (const auto& id : same) EXPECT_EQ(ids.count(id), 1u) << id;
  for (const auto& id : later) EXPECT_EQ(ids.count(id), 1u) << id;
  EXPECT_EQ(got.size(), 13u);
  EXPECT_GE(pages, 5);
  // Oldest change first: the cursor is the last record's stamp.
  EXPECT_EQ(got.back().modified, h_->stamp(31));
  // Nothing changed since: an empty pull.
  EXPECT_TRUE(pull_all(h_->stamp(32), 3).empty());
}

TEST_P(ErpConformance, PushPaymentCreatesOnceAndFindsItAfterwards) {
  h_->set_now(40);
  const auto first = erp_->push_payment(payment("ARCD-APP-8f3c2a", "650.00"));
  EXPECT_FALSE(first.already_there);
  EXPECT_FALSE(first.remote_id.empty());
  EXPECT_EQ(h_->residual(h_->deco_invoice_id()), "0.00");
  const auto again = erp_->push_payment(payment("ARCD-APP-8f3c2a", "650.00"));
  EXPECT_TRUE(again.already_there);
  EXPECT_EQ(again.remote_id, first.remote_id);
  EXPECT_EQ(h_->live_payments_with("ARCD-APP-8f3c2a"), 1);
  // The invoice comes back in the next incremental pull, paid (Business Central changes the
  // remaining amount without a new stamp: there only the sweep and pull_invoice see it).
  if (h_->payment_moves_modification_stamp()) {
    const auto changed = pull_all(h_->stamp(40), 50);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_TRUE(changed[0].amount_open.is_zero());
  } else {
    EXPECT_EQ(pull_all("", 50).size(), 1u);  // the sweep of open invoices no longer has it
  }
  // pull_invoice reads the same.
  const auto one = erp_->pull_invoice(h_->deco_invoice_id());
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->amount_open.is_zero());
}

TEST_P(ErpConformance, AResetAfterTheErpCommittedLeavesExactlyOnePayment) {
  h_->server().inject({.kind = FaultKind::reset_after, .match = h_->payment_create_marker()});
  EXPECT_EQ(failure_of([&] { erp_->push_payment(payment("ARCD-APP-1", "100.00")); }), ErpFailure::transient);
  EXPECT_EQ(h_->live_payments_with("ARCD-APP-1"), 1);
  const auto retried = erp_->push_payment(payment("ARCD-APP-1", "100.00"));
  EXPECT_TRUE(retried.already_there);
  EXPECT_EQ(h_->live_payments_with("ARCD-APP-1"), 1);
  EXPECT_EQ(h_->residual(h_->deco_invoice_id()), "550.00");
}

// The dispatcher drives connectors as lanes on one libcurl multi handle: the same guarantees
// hold there, with another lane's traffic interleaved.
TEST_P(ErpConformance, InsideLanesAResetAfterCommitStillLeavesExactlyOnePayment) {
  h_->server().inject({.kind = FaultKind::reset_after, .match = h_->payment_create_marker()});
  auto other = h_->connector();
  std::optional<ErpFailure> first;
  PushResult retried;
  std::optional<Money> open_elsewhere;
  connectors::HttpLanes lanes;
  lanes.run({[&] {
               first = failure_of([&] { erp_->push_payment(payment("ARCD-APP-L1", "100.00")); });
               retried = erp_->push_payment(payment("ARCD-APP-L1", "100.00"));
             },
             [&] {
               for (int i = 0; i < 3; ++i) open_elsewhere = other->open_amount(h_->deco_invoice_id());
             }});
  EXPECT_EQ(first, ErpFailure::transient);
  EXPECT_TRUE(retried.already_there);
  EXPECT_EQ(h_->live_payments_with("ARCD-APP-L1"), 1);
  EXPECT_EQ(h_->residual(h_->deco_invoice_id()), "550.00");
  EXPECT_TRUE(open_elsewhere.has_value());
}

TEST_P(ErpConformance, AResetBeforeTheErpSawItCreatesOnRetry) {
  h_->server().inject({.kind = FaultKind::reset_before, .match = h_->payment_create_marker()});
  EXPECT_EQ(failure_of([&] { erp_->push_payment(payment("ARCD-APP-2", "50.00")); }), ErpFailure::transient);
  EXPECT_EQ(h_->live_payments_with("ARCD-APP-2"), 0);
  EXPECT_FALSE(erp_->push_payment(payment("ARCD-APP-2", "50.00")).already_there);
  EXPECT_EQ(h_->live_payments_with("ARCD-APP-2"), 1);
}

TEST_P(ErpConformance, ErrorShapesAreClassified) {
  h_->server().inject({.kind = FaultKind::status, .status = 502});
  EXPECT_EQ(failure_of([&] { pull_all("", 50); }), ErpFailure::transient);
  h_->server().inject({.kind = FaultKind::rate_limit, .retry_after_seconds = 7});
  try {
    pull_all("", 50);
    ADD_FAILURE() << "429 not reported";
  } catch (const ErpError& e) {
    EXPECT_EQ(e.kind(), ErpFailure::rate_limited);
    ASSERT_TRUE(e.retry_after());
    EXPECT_EQ(e.retry_after()->count(), 7);
  }
  h_->server().inject({.kind = FaultKind::malformed});
  EXPECT_EQ(failure_of([&] { pull_all("", 50); }), ErpFailure::transient);
  // More than is open: the ERP refuses the content.
  if (h_->refuses_overpayment()) {
    EXPECT_EQ(failure_of([&] { erp_->push_payment(payment("ARCD-APP-3", "9999.00")); }), ErpFailure::rejected);
    EXPECT_EQ(h_->live_payments_with("ARCD-APP-3"), 0);
  }
  // And still works afterwards.
  EXPECT_EQ(pull_all("", 50).size(), 2u);
}

TEST_P(ErpConformance, SlowAnswersWithinTheTimeoutAreFine) {
  h_->server().inject({.kind = FaultKind::slow, .delay = std::chrono::milliseconds(300)});
  EXPECT_EQ(pull_all("", 50).size(), 2u);
}

TEST_P(ErpConformance, AnExpiredSessionIsRenewedTransparently) {
  EXPECT_EQ(pull_all("", 50).size(), 2u);
  h_->expire_session();
  EXPECT_EQ(pull_all("", 50).size(), 2u);
}

TEST_P(ErpConformance, RefusedCredentialsAreAnAuthFailure) {
  h_->break_credentials();
  EXPECT_EQ(failure_of([&] { pull_all("", 50); }), ErpFailure::auth);
}

TEST_P(ErpConformance, NotesArePostedOnceAndCancellationsReopen) {
  NotePush n{"ARCD-NOTE-7", h_->deco_invoice_id(), h_->deco_invoice_number(), "arcd: dispute DSP-0012 opened (reason: pricing)."};
  if (!h_->has_notes()) {
    // Refused with a reason a person reads in the dead letters, never silently dropped.
    EXPECT_EQ(failure_of([&] { erp_->push_note(n); }), ErpFailure::rejected);
    erp_->push_payment(payment("ARCD-APP-9", "150.00"));
    EXPECT_EQ(h_->residual(h_->deco_invoice_id()), "500.00");
    EXPECT_EQ(failure_of([&] { erp_->cancel_payment({"ARCD-APP-9", h_->deco_invoice_id(), h_->deco_invoice_number()}); }),
              ErpFailure::rejected);
    EXPECT_EQ(h_->live_payments_with("ARCD-APP-9"), 1);
    return;
  }
  EXPECT_FALSE(erp_->push_note(n).already_there);
  EXPECT_TRUE(erp_->push_note(n).already_there);
  ASSERT_EQ(h_->notes_on(h_->deco_invoice_id()).size(), 1u);
  EXPECT_NE(h_->notes_on(h_->deco_invoice_id())[0].find("DSP-0012"), std::string::npos);

  erp_->push_payment(payment("ARCD-APP-9", "150.00"));
  EXPECT_EQ(h_->residual(h_->deco_invoice_id()), "500.00");
  EXPECT_FALSE(erp_->cancel_payment({"ARCD-APP-9", h_->deco_invoice_id(), h_->deco_invoice_number()}).already_there);
  EXPECT_EQ(h_->residual(h_->deco_invoice_id()), "650.00");
  EXPECT_EQ(h_->live_payments_with("ARCD-APP-9"), 0);
  EXPECT_TRUE(erp_->cancel_payment({"ARCD-APP-9", h_->deco_invoice_id(), h_->deco_invoice_number()}).already_there);
}

INSTANTIATE_TEST_SUITE_P(Connectors, ErpConformance, ::testing::ValuesIn(harnesses()),
                         [](const auto& test_info) { return test_info.param.name; });

}  // namespace
}  // namespace arcd

namespace arcd::fakes {
connectors::RestSettings erpnext_rest_settings(const std::string& url);
}

namespace arcd {
namespace {

// The shipped generic mapping reads exactly what the built-in ERPNext connector reads.
TEST(GenericRest, TheErpNextMappingReproducesTheErpNextConnectorsPull) {
  fakes::FakeErpNext fake;
  fake.load_fixture_dataset();
  for (int i = 0; i < 25; ++i) {
    fake.add_invoice("ACC-SINV-2024-" + std::to_string(20000 + i), i % 2 ? "Deco Addict" : "Gemini Furniture", "2024-04-20", "2024-05-20",
                     "100.00", i % 3 ? "100.00" : "40.00", "2024-05-10 12:00:0" + std::to_string(i % 3) + ".000000");
  }
  connectors::ErpNextSettings es;
  es.http.base_url = fake.url();
  es.api_key = fakes::FakeErpNext::kKey;
  es.api_secret = fakes::FakeErpNext::kSecret;
  connectors::ErpNextConnector builtin(es);
  connectors::RestConnector generic(fakes::erpnext_rest_settings(fake.url()));
  // Each pages with its own tokens (keyset for the built-in, offset for the mapping).
  auto all = [](ErpConnector& erp, const std::string& since) {
    std::vector<InvoiceRecord> out;
    PullQuery q{since, "", 7};
    for (;;) {
      auto page = erp.pull_invoices(q);
      out.insert(out.end(), page.records.begin(), page.records.end());
      if (page.next_page_token.empty()) return out;
      q.page_token = page.next_page_token;
    }
  };
  for (const std::string since : {"", "2024-05-10 00:00:00"}) {
    const auto a = all(builtin, since), b = all(generic, since);
    ASSERT_EQ(a.size(), b.size()) << since;
    EXPECT_EQ(a.size(), 27u);  // all open, and all changed since then
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto &x = a[i], &y = b[i];
      EXPECT_EQ(x.external_id, y.external_id);
      EXPECT_EQ(x.invoice_number, y.invoice_number);
      EXPECT_EQ(x.customer_external_id, y.customer_external_id);
      EXPECT_EQ(x.customer_name, y.customer_name);
      EXPECT_EQ(x.customer_email, y.customer_email);
      EXPECT_EQ(x.customer_accounts, y.customer_accounts);
      EXPECT_EQ(x.amount_total.to_display(), y.amount_total.to_display());
      EXPECT_EQ(x.amount_open.to_display(), y.amount_open.to_display());
      EXPECT_EQ(x.issue_date, y.issue_date);
      EXPECT_EQ(x.due_date, y.due_date);
      EXPECT_EQ(x.payment_reference, y.payment_reference);
      EXPECT_EQ(x.modified, y.modified);
      EXPECT_EQ(x.cancelled, y.cancelled);
    }
  }
}

TEST(GenericRest, MappingMistakesAreNamed) {
  auto fails = [](const std::string& text) {
    try {
      mapping::rest::parse_rest_mapping(text, "m.toml");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(fails("[auth]\ntype = \"magic\"\n").find("m.toml:2: auth.type"), std::string::npos) << fails("[auth]\ntype = \"magic\"\n");
  EXPECT_NE(fails("[invoices.changed]\npath = \"/x\"\n[invoices.one]\npath = \"/x/{id}\"\n[invoices.fields]\nnumber = \"n\"\n")
                .find("CFG_MISSING_KEY"),
            std::string::npos);
  EXPECT_NE(fails("[invoices.changed]\npath = \"/x\"\nsurprise = 1\n").find("CFG_UNKNOWN_KEY"), std::string::npos);
  EXPECT_NE(fails("[invoices\n").find("CFG_PARSE"), std::string::npos);
  EXPECT_EQ(mapping::rest::expand("{\"a\": \"{x}\", \"n\": {n}}", {{"x", "q\"uote"}, {"n", "1.50"}}, mapping::rest::Escape::json),
            "{\"a\": \"q\\\"uote\", \"n\": 1.50}");
  EXPECT_THROW(mapping::rest::expand("{nope}", {}, mapping::rest::Escape::none), Error);
}

}  // namespace
}  // namespace arcd
