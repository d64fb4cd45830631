// The ERP mappings against the real wire shapes in shared/fixtures/erp: what arcd reads from
// Odoo and ERPNext, the errors it must recognise, and the requests it sends.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "mapping/bc/bc_records.hpp"
#include "mapping/erp_timestamps.hpp"
#include "mapping/erpnext/erpnext_records.hpp"
#include "mapping/json_fields.hpp"
#include "mapping/odoo/odoo_records.hpp"
#include "mapping/odoo/odoo_wire.hpp"
#include "test_support.hpp"

namespace arcd {
namespace {
namespace json = boost::json;
namespace odoo = mapping::odoo;
namespace erpnext = mapping::erpnext;

std::string fixture(const std::string& name) { return test::read_file(test::shared_dir() / "fixtures" / "erp" / name); }

TEST(OdooFixtures, SearchReadInvoicesMapExactly) {
  const auto reply = odoo::parse_jsonrpc_reply(fixture("odoo/jsonrpc_search_read_invoices.response.json"), "test");
  ASSERT_FALSE(reply.fault);
  const auto& rows = reply.result.as_array();
  ASSERT_EQ(rows.size(), 2u);
  const auto deco = odoo::invoice_from(rows[0].as_object(), 1);
  EXPECT_EQ(deco.external_id, "42");
  EXPECT_EQ(deco.invoice_number, "INV/2024/00007");
  EXPECT_EQ(deco.customer_external_id, "9");
  EXPECT_EQ(deco.customer_name, "Deco Addict");
  EXPECT_EQ(deco.amount_total.to_display(), "EUR 1150.00");
  EXPECT_EQ(deco.amount_open.to_display(), "EUR 650.00");
  EXPECT_EQ(deco.due_date.to_string(), "2024-05-02");
  EXPECT_EQ(deco.payment_reference, "INV/2024/00007");
  EXPECT_EQ(deco.modified, "2024-05-10 08:15:42");
  EXPECT_FALSE(deco.cancelled);
  // JSON-2 answers with the bare list: the same records.
  const auto bare = mapping::parse_json(fixture("odoo/json2_search_read_invoices.response.json"), "test");
  EXPECT_EQ(odoo::invoice_from(bare.as_array()[1].as_object(), 2).amount_open.to_display(), "EUR 2300.00");
}

TEST(OdooFixtures, RequestsHaveTheFixturesShape) {
  // The search_read request arcd builds has the fixture's envelope and argument positions.
  const auto want = json::parse(fixture("odoo/jsonrpc_search_read_invoices.request.json")).as_object();
  const auto& args = want.at("params").at("args").as_array();
  odoo::Call c{"account.move", "search_read", std::nullopt, args.at(5).as_array().at(0), args.at(6).as_object()};
  const auto got = json::parse(odoo::execute_kw_request(3, "arcd_demo", 6, "7c1f3e0a9b8d4c2e6f5a1b3c9d7e8f0a1b2c3d4e", c)).as_object();
  EXPECT_EQ(got, want);
  // The payment wizard: values first, the invoice in the context.
  const auto wizard = json::parse(fixture("odoo/jsonrpc_payment_register_create.request.json")).as_object();
  const auto& wargs = wizard.at("params").at("args").as_array();
  odoo::Call w{"account.payment.register", "create", std::nullopt, wargs.at(5).as_array().at(0), wargs.at(6).as_object()};
  EXPECT_EQ(json::parse(odoo::execute_kw_request(6, "arcd_demo", 6, "7c1f3e0a9b8d4c2e6f5a1b3c9d7e8f0a1b2c3d4e", w)).as_object(), wizard);
  // JSON-2 names every argument and takes create's values as a list.
  const auto json2 = json::parse(fixture("odoo/json2_payment_register_create.request.json")).as_object();
  odoo::Call j{"account.payment.register", "create", std::nullopt, json2.at("vals_list").as_array().at(0),
               json::object{{"context", json2.at("context")}}};
  EXPECT_EQ(json::parse(odoo::json2_request(j)).as_object(), json2);
  EXPECT_EQ(odoo::json2_path(j), "/json/2/account.payment.register/create");
}

TEST(OdooFixtures, NoneAndErrorsAreRecognised) {
  const auto none = odoo::parse_jsonrpc_reply(fixture("odoo/jsonrpc_result_none.response.json"), "test");
  EXPECT_FALSE(none.fault);
  EXPECT_TRUE(none.result.is_null());
  auto kind = [](const std::string& file) {
    const auto r = odoo::parse_jsonrpc_reply(fixture(file), "test");
    EXPECT_TRUE(r.fault) << file;
    return r.fault ? odoo::error_of(*r.fault, "t").kind() : ErpFailure::transient;
  };
  EXPECT_EQ(kind("odoo/jsonrpc_error_access_denied.response.json"), ErpFailure::auth);
  EXPECT_EQ(kind("odoo/jsonrpc_error_nothing_left_to_pay.response.json"), ErpFailure::rejected);
  EXPECT_EQ(kind("odoo/jsonrpc_error_wizard_missing_context.response.json"), ErpFailure::rejected);
  EXPECT_EQ(kind("odoo/jsonrpc_error_unknown_model.response.json"), ErpFailure::rejected);
  EXPECT_EQ(kind("odoo/web_session_error_expired.response.json"), ErpFailure::auth);
  EXPECT_TRUE(odoo::is_session_expired(*odoo::parse_jsonrpc_reply(fixture("odoo/web_session_error_expired.response.json"), "t").fault));
  // Bad credentials on authenticate are not an error object: result false.
  const auto bad = odoo::parse_jsonrpc_reply(fixture("odoo/jsonrpc_common_authenticate_bad_credentials.response.json"), "t");
  EXPECT_FALSE(bad.fault);
  EXPECT_TRUE(bad.result.is_bool());
  for (const char* f : {"odoo/json2_error_401_invalid_apikey.response.json", "odoo/json2_error_401_invalid_apikey_legacy_string.response.json"}) {
    const auto fault = odoo::parse_json2_fault(fixture(f), 401);
    EXPECT_EQ(fault.message, "Invalid apikey") << f;
    EXPECT_EQ(odoo::error_of(fault, "t").kind(), ErpFailure::auth) << f;
  }
  EXPECT_THROW(odoo::parse_jsonrpc_reply("{\"jsonrpc\": \"2.0\", \"result\": [tru", "t"), ErpError);
}

TEST(ErpNextFixtures, SalesInvoicesMapExactly) {
  const auto list = mapping::parse_json(fixture("erpnext/sales_invoice_list.response.json"), "t");
  const auto& rows = list.at("data").as_array();
  const auto deco = erpnext::invoice_from(rows[0].as_object(), 1);
  EXPECT_EQ(deco.external_id, "ACC-SINV-2024-00007");
  EXPECT_EQ(deco.customer_external_id, "Deco Addict");
  EXPECT_EQ(deco.amount_open.to_display(), "EUR 650.00");
  EXPECT_EQ(deco.amount_total.to_display(), "EUR 1150.00");
  EXPECT_EQ(deco.modified, "2024-05-10 10:15:42.381204");
  EXPECT_EQ(erpnext::invoice_from(rows[1].as_object(), 2).amount_open.to_display(), "EUR 2300.00");
}

TEST(ErpNextFixtures, ErrorMessagesAreDecodedTwice) {
  const std::string allocated = "Row #1: Allocated Amount cannot be greater than outstanding amount.";
  EXPECT_EQ(erpnext::error_message(fixture("erpnext/error_417_allocated_amount_no_traceback.response.json")), allocated);
  EXPECT_EQ(erpnext::error_message(fixture("erpnext/error_417_allocated_amount.response.json")), allocated);
  EXPECT_NE(erpnext::error_message(fixture("erpnext/error_v2_417.response.json")).find("Allocated Amount"), std::string::npos);
  EXPECT_EQ(erpnext::error_message(fixture("erpnext/error_401_authentication.response.json")), "AuthenticationError");
  EXPECT_EQ(erpnext::error_message(fixture("erpnext/error_429_rate_limited.response.txt")).substr(0, 17), "Too Many Requests");
}

TEST(ErpNextFixtures, PaymentEntryHasTheFixturesFields) {
  const auto want = json::parse(fixture("erpnext/payment_entry_create.request.json")).as_object();
  PaymentPush p;
  p.key = "ARCD-APP-8f3c2a";
  p.invoice_external_id = "ACC-SINV-2024-00007";
  p.amount = Money::parse("650.00", Currency::of("EUR"));
  p.date = *Date::parse("2024-05-10");
  auto got = erpnext::payment_entry(p, "Deco Addict", {"Acme Corp", "Bank Account - AC", "", "Wire Transfer"});
  for (const auto& [k, v] : want) {
    if (k == "remarks") continue;  // free text
    EXPECT_EQ(got[k], v) << k;
  }
}

TEST(ErpMoney, FloatsRoundToTheCurrencyAndStringsAreExact) {
  const auto eur = Currency::of("EUR");
  EXPECT_EQ(mapping::money_from_json(json::value(650.0), eur, "t").minor(), 65000);
  EXPECT_EQ(mapping::money_from_json(json::value(0.1 + 0.2), eur, "t").minor(), 30);
  EXPECT_EQ(mapping::money_from_json(json::value(1150.005), eur, "t").minor(), 115001);
  EXPECT_EQ(mapping::money_from_json(json::value(-12.345), eur, "t").minor(), -1235);
  EXPECT_EQ(mapping::money_from_json(json::value(99.995), Currency::of("JPY"), "t").minor(), 100);
  EXPECT_EQ(mapping::money_from_json(json::value("8.850"), eur, "t").minor(), 885);
  EXPECT_THROW(mapping::money_from_json(json::value("8.855"), eur, "t"), Error);
  EXPECT_EQ(mapping::money_to_json(Money::parse("650.00", eur)), json::value(650.0));
}

TEST(ErpStamps, RewindKeepsTheFormat) {
  using std::chrono::seconds;
  EXPECT_EQ(mapping::rewind_stamp("2024-05-10 08:15:42", seconds(300)), "2024-05-10 08:10:42");
  EXPECT_EQ(mapping::rewind_stamp("2024-05-10 00:02:00.381204", seconds(300)), "2024-05-09 23:57:00");
  EXPECT_EQ(mapping::rewind_stamp("2024-03-01T00:00:10.337Z", seconds(20)), "2024-02-29T23:59:50Z");
  EXPECT_EQ(mapping::rewind_stamp("", seconds(20)), "");
  EXPECT_EQ(mapping::rewind_stamp("garbage", seconds(20)), "garbage");
}

}  // namespace
}  // namespace arcd

namespace arcd {
namespace {

TEST(BusinessCentralFixtures, SalesInvoicesMapExactly) {
  const auto page = mapping::parse_json(test::read_file(test::shared_dir() / "fixtures/erp/bc/sales_invoices_page1.response.json"), "t");
  const auto& rows = page.at("value").as_array();
  ASSERT_FALSE(rows.empty());
  const auto r = mapping::bc::invoice_from(rows[0].as_object(), "EUR", 1);
  EXPECT_EQ(r.invoice_number, "103001");
  EXPECT_EQ(r.external_id, "9e0f5c9c-44e3-ea11-bb43-000d3a2feca1");
  EXPECT_EQ(r.customer_external_id, "10000");
  EXPECT_EQ(r.amount_open.to_display(), "USD 650.00");
  EXPECT_EQ(r.amount_total.to_display(), "USD 1150.00");
  EXPECT_EQ(r.modified, "2024-05-10T08:15:42.337Z");
  EXPECT_TRUE(page.as_object().contains("@odata.nextLink"));
  // An empty currencyCode is the company's own currency.
  auto local = rows[0].as_object();
  local["currencyCode"] = "";
  EXPECT_EQ(mapping::bc::invoice_from(local, "EUR", 1).amount_open.to_display(), "EUR 650.00");
}

TEST(BusinessCentralFixtures, PaymentLineIsNegativeAndErrorsAreRead) {
  const auto want = boost::json::parse(test::read_file(test::shared_dir() / "fixtures/erp/bc/customer_payment_create.request.json")).as_object();
  PaymentPush p;
  p.key = "ARCD-APP-8f3c2a";
  p.invoice_number = "103001";
  p.amount = Money::parse("650.00", Currency::of("USD"));
  p.date = *Date::parse("2024-05-10");
  auto got = mapping::bc::payment_line(p, "10000");
  for (const char* k : {"customerNumber", "postingDate", "externalDocumentNumber", "amount", "appliesToInvoiceNumber"}) {
    EXPECT_EQ(got[k], want.at(k)) << k;
  }
  const auto conflict = test::read_file(test::shared_dir() / "fixtures/erp/bc/error_409_entity_changed.response.json");
  EXPECT_EQ(mapping::bc::error_code(conflict), "Request_EntityChanged");
  EXPECT_NE(mapping::bc::error_message(test::read_file(test::shared_dir() / "fixtures/erp/bc/error_400_amount_must_be_negative.response.json"))
                .find("should be a negative number"),
            std::string::npos);
  EXPECT_NE(mapping::bc::error_message(test::read_file(test::shared_dir() / "fixtures/erp/bc/token_error_invalid_client.response.json"))
                .find("AADSTS"),
            std::string::npos);
  EXPECT_EQ(mapping::bc::quoted("O'Neil"), "'O''Neil'");
}

}  // namespace
}  // namespace arcd
