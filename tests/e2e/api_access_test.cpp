// The HTTP API's access rules against a real daemon: every documented route with every role
// (allowed and refused), a collector's segment, write-off approval by a second manager,
// ETag conflicts, Idempotency-Key replay, bad bodies, the dashboard's cookie and CSRF,
// paging while invoices arrive, revocation, and the audit trail of it all.
#include <gtest/gtest.h>
#include <curl/curl.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "arcd/audit_chain.hpp"
#include "arcd/store.hpp"
#include "process_util.hpp"
#include "test_support.hpp"

using namespace arcd;
namespace json = boost::json;

namespace {

struct Reply {
  long status = 0;
  std::string body;
  std::string headers;
  json::value json() const { return json::parse(body); }
  std::string code() const { return json::parse(body).as_object().at("code").as_string().c_str(); }
  std::string header(const std::string& name) const {
    std::istringstream in(headers);
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() > name.size() && strncasecmp(line.c_str(), (name + ":").c_str(), name.size() + 1) == 0) {
        auto v = line.substr(name.size() + 1);
        v.erase(0, v.find_first_not_of(' '));
        v.erase(v.find_last_not_of("\r\n ") + 1);
        return v;
      }
    }
    return {};
  }
};

size_t collect(char* p, size_t s, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, s * n);
  return s * n;
}

Reply call(unsigned short port, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = "", std::vector<std::string> headers = {}) {
  Reply r;
  CURL* c = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    headers.emplace_back("Content-Type: application/json");
  }
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  curl_slist* hs = nullptr;
  for (const auto& h : headers) hs = curl_slist_append(hs, h.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(c);
  return r;
}

std::string invoices_csv(int from, int to) {
  std::string csv =
      "invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,"
      "customer_iban,customer_email\n";
  for (int i = from; i < to; ++i) {
    const std::string cust = i % 3 == 0 ? "C1" : i % 3 == 1 ? "C2" : "C3";
    csv += "INV-" + std::to_string(1000 + i) + "," + cust + ",Customer " + cust + ",EUR," + std::to_string(100 + i) + ".00," +
           std::to_string(100 + i) + ".00,2026-09-01,2026-10-01,,,ap@" + cust + ".example\n";
  }
  return csv;
}

class ApiAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    d_ = new test::RunningDaemon();
    test::write_file(d_->config, "[database]\nurl = \"" + d_->sqlite_url() + "\"\n[http]\nport = 0\nbody_limit_bytes = 65536\n"
                                 "token_cache_seconds = 0\n[collections]\nmanagers = []\n");
    test::write_file(d_->dir / "invoices.csv", invoices_csv(0, 30));
    ASSERT_EQ(arcctl({"db", "migrate"}).code, 0);
    auto imported = arcctl({"invoices", "import", (d_->dir / "invoices.csv").string()});
    ASSERT_EQ(imported.code, 0) << imported.output;
    ASSERT_EQ(arcctl({"customers", "set", "--customer", "C1", "--collector", "anna"}).code, 0);
    ASSERT_EQ(arcctl({"customers", "set", "--customer", "C2", "--collector", "ben"}).code, 0);
    d_->start();
    for (const auto& [user, role] : std::vector<std::pair<std::string, std::string>>{
             {"vera", "viewer"}, {"anna", "collector"}, {"ben", "collector"}, {"maria", "manager"}, {"mike", "manager"}, {"ada", "admin"}}) {
      auto made = arcctl({"--format", "json", "tokens", "create", "--user", user, "--role", role});
      ASSERT_EQ(made.code, 0) << made.output;
      tokens_[user] = json::parse(made.output).as_object().at("token").as_string().c_str();
    }
  }
  static void TearDownTestSuite() {
    d_->stop();
    delete d_;
    d_ = nullptr;
  }
  static test::RunResult arcctl(std::vector<std::string> args) {
    std::vector<std::string> argv{ARCCTL_BIN, "--config", d_->config.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run(argv);
  }
  static Reply as(const std::string& user, const std::string& method, const std::string& path, const std::string& body = "",
                  std::vector<std::string> headers = {}) {
    return call(d_->port, method, path, user.empty() ? "" : tokens_.at(user), body, std::move(headers));
  }
  static std::int64_t customer_id(const std::string& external) {
    const auto reply = as("ada", "GET", "/api/v1/customers?q=" + external);
    EXPECT_EQ(reply.status, 200) << reply.body;
    if (reply.status != 200) return 0;
    const auto list = reply.json();
    for (const auto& c : list.as_object().at("items").as_array())
      if (c.as_object().at("external_id").as_string() == external) return c.as_object().at("id").as_int64();
    return 0;
  }
  static int timeline_size(std::int64_t customer) {
    return static_cast<int>(as("ada", "GET", "/api/v1/customers/" + std::to_string(customer) + "/timeline").json().as_object().at("items").as_array().size());
  }

  static inline test::RunningDaemon* d_ = nullptr;
  static inline std::map<std::string, std::string> tokens_;
};

int rank(const std::string& role) {
  static const std::map<std::string, int> ranks{{"viewer", 0}, {"collector", 1}, {"manager", 2}, {"admin", 3}};
  return ranks.at(role);
}

}  // namespace

TEST_F(ApiAccess, EveryDocumentedRouteAllowsItsRoleAndAboveAndRefusesTheRest) {
  std::ifstream in(std::string(ARCD_SOURCE_DIR) + "/docs/openapi.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = json::parse(text.str());
  const std::vector<std::pair<std::string, std::string>> users{{"vera", "viewer"}, {"anna", "collector"}, {"maria", "manager"}, {"ada", "admin"}};
  int checked = 0;
  for (const auto& [path, item] : doc.as_object().at("paths").as_object()) {
    for (const auto& [verb, op] : item.as_object()) {
      const std::string role(op.as_object().at("x-arcd-role").as_string());
      std::string method(verb);
      for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string concrete(path);
      for (auto at = concrete.find('{'); at != std::string::npos; at = concrete.find('{'))
        concrete.replace(at, concrete.find('}', at) - at + 1, "999999");
      if (concrete == "/ui/999999") concrete = "/ui/app.js";
      // Runs and uploads are harmless here; every other POST names an id that does not exist.
      const std::string body = method == "POST" ? "{}" : "";
      const std::string where = method + " " + std::string(path);
      if (role == "public") {
        const auto r = as("", method, concrete, body);
        EXPECT_NE(r.status, 401) << where;
        EXPECT_NE(r.status, 403) << where;
        ++checked;
        continue;
      }
      EXPECT_EQ(as("", method, concrete, body).status, 401) << where << " without a token";
      EXPECT_EQ(call(d_->port, method, concrete, "arcd_" + std::string(64, '0'), body).status, 401) << where << " with a made-up token";
      for (const auto& [user, user_role] : users) {
        const auto r = as(user, method, concrete, body);
        const bool refused = r.status == 403 && r.body.find("\"forbidden\"") != std::string::npos;
        if (rank(user_role) >= rank(role)) {
          EXPECT_FALSE(refused || r.status == 401) << where << " as " << user_role << ": " << r.status << " " << r.body;
        } else {
          EXPECT_TRUE(refused) << where << " as " << user_role << " should be refused: " << r.status << " " << r.body;
        }
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 50);
}

TEST_F(ApiAccess, ACollectorSeesAndActsOnTheirSegmentOnly) {
  const auto c1 = customer_id("C1"), c2 = customer_id("C2");
  ASSERT_GT(c1, 0);
  ASSERT_GT(c2, 0);
  const auto listed = as("anna", "GET", "/api/v1/customers");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto mine = listed.json().as_object().at("items").as_array();  // a copy
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].as_object().at("external_id").as_string(), "C1");
  const auto invoices = as("anna", "GET", "/api/v1/invoices?limit=1000");
  ASSERT_EQ(invoices.status, 200) << invoices.body;
  const auto invoice_list = invoices.json();  // kept: a range-for over a temporary's member dangles
  for (const auto& i : invoice_list.as_object().at("items").as_array())
    EXPECT_EQ(i.as_object().at("customer_id").as_int64(), c1);
  const auto worklist = as("anna", "GET", "/api/v1/worklist?collector=ben").json();
  for (const auto& w : worklist.as_object().at("items").as_array())
    EXPECT_EQ(w.as_object().at("collector").as_string(), "anna");
  auto r = as("anna", "GET", "/api/v1/customers/" + std::to_string(c2));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.code(), "not_your_customer");
  const int before = timeline_size(c2);
  r = as("anna", "POST", "/api/v1/customers/" + std::to_string(c2) + "/activities", R"({"kind":"call","text":"hello"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(timeline_size(c2), before);
  r = as("anna", "POST", "/api/v1/disputes", R"({"invoice":"INV-1001","reason":"pricing"})");  // C2's invoice
  EXPECT_EQ(r.status, 403) << r.body;
  r = as("anna", "POST", "/api/v1/customers/" + std::to_string(c1) + "/activities", R"({"kind":"call","text":"reached AP"})");
  EXPECT_EQ(r.status, 201) << r.body;
  // The viewer reads every customer and changes none.
  EXPECT_EQ(as("vera", "GET", "/api/v1/customers/" + std::to_string(c2)).status, 200);
  EXPECT_EQ(as("vera", "POST", "/api/v1/customers/" + std::to_string(c2) + "/activities", R"({"kind":"note","text":"x"})").status, 403);
}

TEST_F(ApiAccess, AWriteOffNeedsAManagerWhoDidNotProposeIt) {
  auto r = as("anna", "POST", "/api/v1/writeoffs", R"({"invoice":"INV-1003","reason":"small balance","amount":"1.00"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto id = std::to_string(r.json().as_object().at("id").as_int64());
  EXPECT_EQ(as("anna", "POST", "/api/v1/writeoffs/" + id + "/approve").status, 403);
  EXPECT_EQ(as("maria", "POST", "/api/v1/writeoffs/" + id + "/approve").status, 200);
  r = as("maria", "POST", "/api/v1/writeoffs", R"({"invoice":"INV-1006","reason":"small balance","amount":"1.00"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto own = std::to_string(r.json().as_object().at("id").as_int64());
  r = as("maria", "POST", "/api/v1/writeoffs/" + own + "/approve");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.code(), "writeoff_forbidden");
  EXPECT_EQ(as("mike", "POST", "/api/v1/writeoffs/" + own + "/approve").status, 200);
}

TEST_F(ApiAccess, TwoManagersCannotOverwriteEachOtherSilently) {
  const auto c3 = std::to_string(customer_id("C3"));
  const auto first = as("maria", "GET", "/api/v1/customers/" + c3);
  const auto second = as("mike", "GET", "/api/v1/customers/" + c3);
  const auto tag = first.header("ETag");
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(tag, second.header("ETag"));
  auto r = as("maria", "POST", "/api/v1/customers/" + c3 + "/collections", R"({"collector":"anna"})", {"If-Match: " + tag});
  EXPECT_EQ(r.status, 200) << r.body;
  r = as("mike", "POST", "/api/v1/customers/" + c3 + "/collections", R"({"collector":"ben"})", {"If-Match: " + tag});
  EXPECT_EQ(r.status, 412);
  EXPECT_EQ(r.code(), "precondition_failed");
  EXPECT_EQ(as("ada", "GET", "/api/v1/customers/" + c3).json().as_object().at("collector").as_string(), "anna");
  // The same for a task's outcome: a collector's outcome cannot be overwritten by one who read it before.
  EXPECT_EQ(as("maria", "POST", "/api/v1/customers/" + c3 + "/collections", R"({"collector":""})",
               {"If-Match: " + as("maria", "GET", "/api/v1/customers/" + c3).header("ETag")}).status, 200);
}

TEST_F(ApiAccess, AnIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherRequest) {
  const auto c1 = std::to_string(customer_id("C1"));
  const int before = timeline_size(std::stoll(c1));
  const std::string body = R"({"kind":"note","text":"sent statement"})";
  const auto first = as("maria", "POST", "/api/v1/customers/" + c1 + "/activities", body, {"Idempotency-Key: k-123"});
  ASSERT_EQ(first.status, 201) << first.body;
  const auto again = as("maria", "POST", "/api/v1/customers/" + c1 + "/activities", body, {"Idempotency-Key: k-123"});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(timeline_size(std::stoll(c1)), before + 1);
  const auto other = as("maria", "POST", "/api/v1/customers/" + c1 + "/activities", R"({"kind":"note","text":"else"})", {"Idempotency-Key: k-123"});
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.code(), "idempotency_key_reused");
  // Keys are per user: another user's k-123 is a new request.
  EXPECT_EQ(as("mike", "POST", "/api/v1/customers/" + c1 + "/activities", body, {"Idempotency-Key: k-123"}).status, 201);
  EXPECT_EQ(timeline_size(std::stoll(c1)), before + 2);
}

TEST_F(ApiAccess, BadBodiesGetProblemDetailsAndChangeNothing) {
  const auto c1 = std::to_string(customer_id("C1"));
  const int before = timeline_size(std::stoll(c1));
  const std::string path = "/api/v1/customers/" + c1 + "/activities";
  auto r = as("maria", "POST", path, R"({"kind":"call", "text": )");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "bad_json");
  EXPECT_NE(r.header("Content-Type").find("application/problem+json"), std::string::npos);
  r = as("maria", "POST", path, R"({"kind":"call","text":42})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "wrong_type");
  EXPECT_NE(r.body.find("text"), std::string::npos);
  r = as("maria", "POST", path, R"({"kind":"call","text":"x","colour":"red"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "unknown_field");
  EXPECT_NE(r.body.find("colour"), std::string::npos);
  r = as("maria", "POST", "/api/v1/ptps", R"({"customer":"C1","amount":12.5,"currency":"EUR","promised_date":"2026-12-01"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "wrong_type");  // money is never a JSON number
  r = as("maria", "POST", path, R"({"kind":"call","text":")" + std::string(70000, 'x') + "\"}");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.code(), "body_too_large");
  r = as("maria", "GET", "/api/v1/invoices?limit=abc");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(timeline_size(std::stoll(c1)), before);
  // The daemon keeps serving.
  EXPECT_EQ(as("maria", "GET", "/api/v1/customers/" + c1).status, 200);
}

TEST_F(ApiAccess, TheDashboardSessionIsAnHttpOnlyCookieAndChangesNeedItsCsrfValue) {
  auto r = call(d_->port, "POST", "/web/session", "", json::serialize(json::object{{"token", tokens_.at("maria")}}));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto cookie = r.header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  const std::string csrf(r.json().as_object().at("csrf").as_string());
  const std::string session = "Cookie: " + cookie.substr(0, cookie.find(';'));
  const auto c1 = std::to_string(customer_id("C1"));
  EXPECT_EQ(call(d_->port, "GET", "/api/v1/customers/" + c1, "", "", {session}).status, 200);
  r = call(d_->port, "POST", "/api/v1/customers/" + c1 + "/activities", "", R"({"kind":"note","text":"from the page"})", {session});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.code(), "csrf_failed");
  r = call(d_->port, "POST", "/api/v1/customers/" + c1 + "/activities", "", R"({"kind":"note","text":"from the page"})",
           {session, "X-CSRF-Token: " + csrf});
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(call(d_->port, "POST", "/web/session", "", R"({"token":"arcd_nope"})").status, 401);
  const auto page = call(d_->port, "GET", "/ui/", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.header("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
}

TEST_F(ApiAccess, PagingSeesEveryInvoiceOnceWhileNewOnesArrive) {
  std::set<std::int64_t> seen;
  std::string after = "0";
  int pages = 0;
  bool more_imported = false;
  for (;;) {
    const auto r = as("vera", "GET", "/api/v1/invoices?limit=7&after=" + after);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto o = r.json().as_object();
    for (const auto& i : o.at("items").as_array()) EXPECT_TRUE(seen.insert(i.as_object().at("id").as_int64()).second) << "seen twice";
    if (++pages == 2 && !more_imported) {  // invoices arrive while a client pages
      test::write_file(d_->dir / "more.csv", invoices_csv(100, 110));
      ASSERT_EQ(arcctl({"invoices", "import", (d_->dir / "more.csv").string()}).code, 0);
      more_imported = true;
    }
    if (o.at("next_after").is_null()) break;
    after = std::to_string(o.at("next_after").as_int64());
  }
  EXPECT_GE(seen.size(), 40u);  // the 30 there at the start, and the 10 that came while paging
}

TEST_F(ApiAccess, SortedListsPageByValueThenIdAndSeeEveryRowOnce) {
  for (const std::string sort : {"-amount_open", "due_date"}) {
    std::set<std::int64_t> seen;
    std::vector<std::int64_t> amounts;
    std::string after;
    for (int pages = 0; pages < 100; ++pages) {
      const auto r = as("vera", "GET", "/api/v1/invoices?status=open&limit=4&sort=" + sort + (after.empty() ? "" : "&after=" + after));
      ASSERT_EQ(r.status, 200) << r.body;
      const auto o = r.json().as_object();
      for (const auto& i : o.at("items").as_array()) {
        EXPECT_TRUE(seen.insert(i.as_object().at("id").as_int64()).second);
        const std::string open(i.as_object().at("amount_open").as_string());
        amounts.push_back(std::stoll(open.substr(0, open.find('.'))));
      }
      if (o.at("next_after").is_null()) break;
      after = std::string(o.at("next_after").as_string());
    }
    const auto all = as("vera", "GET", "/api/v1/invoices?status=open&limit=1000").json();
    EXPECT_EQ(seen.size(), all.as_object().at("items").as_array().size()) << sort;
    if (sort == "-amount_open") {
      EXPECT_TRUE(std::is_sorted(amounts.rbegin(), amounts.rend())) << "largest first";
    }
  }
  EXPECT_EQ(as("vera", "GET", "/api/v1/invoices?sort=colour").status, 400);
  EXPECT_EQ(as("vera", "GET", "/api/v1/invoices?sort=due_date&after=17").status, 400);
}

TEST_F(ApiAccess, ARevokedTokenStopsWorkingAndEveryChangeIsInTheChainedAuditLog) {
  auto made = arcctl({"--format", "json", "tokens", "create", "--user", "temp", "--role", "manager"});
  ASSERT_EQ(made.code, 0);
  const auto o = json::parse(made.output).as_object();
  const std::string token(o.at("token").as_string());
  const auto c1 = std::to_string(customer_id("C1"));
  EXPECT_EQ(call(d_->port, "POST", "/api/v1/customers/" + c1 + "/activities", token, R"({"kind":"note","text":"by temp"})").status, 201);
  ASSERT_EQ(arcctl({"tokens", "revoke", std::to_string(o.at("id").as_int64())}).code, 0);
  EXPECT_EQ(call(d_->port, "GET", "/api/v1/customers/" + c1, token).status, 401);  // token_cache_seconds = 0

  bool request_recorded = false, activity_recorded = false;
  {
  auto store = open_store({d_->sqlite_url(), 1, 5000});
  auto tx = store->begin();
  for (Page page{0, 1000};;) {
    const auto records = tx->audit().list(page);
    if (records.empty()) break;
    for (const auto& a : records) {
      if (a.actor == "api:temp" && a.action == "api.POST" && a.entity_id == "/api/v1/customers/{id}/activities") request_recorded = true;
      if (a.actor == "api:temp" && a.action == "activity.logged") activity_recorded = true;
    }
    page.after_id = records.back().id.value();
  }
  }  // the read transaction ends before arcctl reads the log
  EXPECT_TRUE(request_recorded);
  EXPECT_TRUE(activity_recorded);
  const auto verify = arcctl({"audit", "verify"});
  EXPECT_EQ(verify.code, 0) << verify.output;
  EXPECT_NE(verify.output.find("audit log intact"), std::string::npos) << verify.output;
}
