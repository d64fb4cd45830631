// The inflow feed reaching treasury systems through the outbox: a test receiver that checks the
// signature and the timestamp and keeps the flows the way a TMS would (upsert by reference,
// drop what vanished, book the receipts); the receiver down for an hour while payments
// arrive and snapshots pile up, then back (nothing lost, the newest snapshot wins); a refused
// feed; files to a folder and over SFTP to a real sshd.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <map>
#include <mutex>
#include <set>

#include "arcd/digest.hpp"
#include "cash_fixture.hpp"
#include "fake_http_server.hpp"
#include "forecast/feed_events.hpp"
#include "forecast/feed_publisher.hpp"
#include "outbox/tms_dispatcher.hpp"
#include "sftp_client.hpp"

using namespace arcd;
namespace json = boost::json;

namespace {

constexpr const char* kSecret = "treasury-shared-secret-0123456789";
constexpr const char* kDestination = "tms:treasury";

// What a treasury system keeps, built only from what it was sent and checked the way the
// README tells receivers to check it.
class TestTreasury {
 public:
  explicit TestTreasury(const test::ManualClock& clock)
      : clock_(clock), server_([this](const fakes::Request& r) { return receive(r); }) {}

  std::string url() const { return server_.base_url() + "/arcd/feed"; }
  void set_down(bool down) {
    std::lock_guard lock(mutex_);
    down_ = down;
  }
  void set_refuse(bool refuse) {
    std::lock_guard lock(mutex_);
    refuse_ = refuse;
  }

  std::map<std::string, std::string> flows() const {  // reference -> amount
    std::lock_guard lock(mutex_);
    return flows_;
  }
  std::map<std::int64_t, std::string> receipts() const {  // application id -> amount
    std::lock_guard lock(mutex_);
    return receipts_;
  }
  std::vector<std::int64_t> versions_taken() const {
    std::lock_guard lock(mutex_);
    return versions_;
  }
  int refused_signatures() const {
    std::lock_guard lock(mutex_);
    return bad_signatures_;
  }
  // A reference listed as removed while the same feed still carries it.
  int contradictions() const {
    std::lock_guard lock(mutex_);
    return contradictions_;
  }
  int duplicate_receipts() const {
    std::lock_guard lock(mutex_);
    return duplicate_receipts_;
  }

 private:
  fakes::Response receive(const fakes::Request& r) {
    std::lock_guard lock(mutex_);
    if (down_) return {503, R"({"error":"maintenance"})"};
    // The signature: HMAC-SHA256 of "<timestamp>.<raw body>", compared in constant time, and a
    // timestamp within five minutes of the receiver's clock.
    const std::string ts = r.header("x-arcd-timestamp"), sig = r.header("x-arcd-signature");
    const std::string expected = "sha256=" + hmac_sha256_hex(kSecret, ts + "." + r.body);
    const auto age = clock_.now().time_since_epoch().count() - std::stoll(ts.empty() ? "0" : ts);
    if (!constant_time_equal(sig, expected) || age > 300 || age < -300) {
      ++bad_signatures_;
      return {401, R"({"error":"bad signature"})"};
    }
    if (refuse_) return {422, R"({"error":"unknown entity"})"};
    const json::value doc = json::parse(r.body);
    const auto& feed = doc.as_object();
    const std::int64_t version = feed.at("version").as_int64();
    if (!versions_.empty() && version <= versions_.back()) return {200, "{}"};  // an old one: the newest wins
    versions_.push_back(version);
    // A full snapshot: upsert every flow, drop the removed references and anything it lacks.
    std::map<std::string, std::string> next;
    for (const auto& f : feed.at("flows").as_array()) next[std::string(f.at("reference").as_string())] = std::string(f.at("amount").as_string());
    for (const auto& removed : feed.at("removed_references").as_array()) {
      if (next.count(std::string(removed.as_string()))) ++contradictions_;
    }
    flows_ = std::move(next);
    if (const auto* receipts = feed.if_contains("receipts")) {
      for (const auto& x : receipts->as_array()) {
        const auto id = x.at("application_id").as_int64();
        if (!receipts_.emplace(id, std::string(x.at("amount").as_string())).second) ++duplicate_receipts_;
      }
    }
    return {200, R"({"accepted":true})", "application/json", {{"X-Request-Id", "tms-" + std::to_string(version)}}};
  }

  const test::ManualClock& clock_;
  mutable std::mutex mutex_;
  bool down_ = false, refuse_ = false;
  std::map<std::string, std::string> flows_;
  std::map<std::int64_t, std::string> receipts_;
  std::vector<std::int64_t> versions_;
  int bad_signatures_ = 0, duplicate_receipts_ = 0, contradictions_ = 0;
  fakes::FakeHttpServer server_;
};

class TmsFeed : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    cash = std::make_unique<test::CashStore>(GetParam());
    cash->clock().set(*parse_iso8601("2026-11-24T09:00:00Z"));
    clock = std::shared_ptr<const Clock>(&cash->clock(), [](const Clock*) {});
    receiver = std::make_unique<TestTreasury>(cash->clock());
    for (int i = 0; i < 6; ++i) {
      const std::string n = std::to_string(i);
      cash->invoices({{.number = "T-" + n, .customer = "C" + n, .amount = std::to_string(100 + i) + ".00", .payment_reference = "PAYT" + n,
                       .due = "2026-12-0" + std::to_string(1 + i)}});
    }
    dispatch.base_backoff = std::chrono::seconds(30);
    dispatch.max_backoff = std::chrono::seconds(600);
    dispatch.max_attempts = 50;
  }

  std::unique_ptr<outbox::TmsDispatcher> dispatcher(const connectors::TmsTargetSettings& t) {
    return std::make_unique<outbox::TmsDispatcher>(cash->store(), clock, forecast::tms_destination(t.name), connectors::make_feed_sink(t, clock),
                                                   settings, dispatch, "test-owner", spdlog::default_logger());
  }
  connectors::TmsTargetSettings https_target() {
    connectors::TmsTargetSettings t;
    t.name = "treasury";
    t.transport = "https";
    t.http.base_url = receiver->url();
    t.http.timeout = std::chrono::seconds(5);
    t.secret = kSecret;
    return t;
  }
  std::optional<forecast::Published> publish(bool only_if_moved) {
    return forecast::publish_feed(cash->store(), settings, {kDestination}, clock->now(), clock->today(), only_if_moved);
  }
  void pay(int i) {
    const std::string n = std::to_string(i);
    cash->credit({.amount = std::to_string(100 + i) + ".00", .reference = "PAYT" + n, .payer_name = "Customer C" + n});
    cash->run();
  }
  std::vector<OutboxEvent> feed_events() {
    auto tx = cash->store().begin();
    OutboxFilter f;
    f.destination = kDestination;
    return tx->outbox().list(f, {0, 1000});
  }
  std::string reference(int i) { return "arcd:erp:" + std::to_string(cash->invoice("T-" + std::to_string(i)).id.value()); }

  std::unique_ptr<test::CashStore> cash;
  std::shared_ptr<const Clock> clock;
  std::unique_ptr<TestTreasury> receiver;
  forecast::ForecastSettings settings;
  outbox::DispatchSettings dispatch;
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, TmsFeed, ::testing::ValuesIn(test::store_backends()), [](const auto& p) { return p.param; });

TEST_P(TmsFeed, ASignedFeedReachesTheReceiverWhichUpsertsDropsAndBooksReceipts) {
  auto d = dispatcher(https_target());
  ASSERT_TRUE(publish(false));
  EXPECT_EQ(d->run_once().delivered, 1);
  EXPECT_EQ(receiver->refused_signatures(), 0);
  EXPECT_EQ(receiver->flows().size(), 6u);
  EXPECT_EQ(receiver->flows().at(reference(2)), "102.00");

  // Cash applied: the figures moved, so a snapshot goes out; it drops the paid invoice and
  // carries the receipt.
  pay(2);
  const auto moved = publish(true);
  ASSERT_TRUE(moved);
  EXPECT_FALSE(publish(true)) << "nothing moved since: no snapshot";
  EXPECT_EQ(d->run_once().delivered, 1);
  EXPECT_EQ(receiver->flows().size(), 5u);
  EXPECT_EQ(receiver->flows().count(reference(2)), 0u);
  ASSERT_EQ(receiver->receipts().size(), 1u);
  EXPECT_EQ(receiver->receipts().begin()->second, "102.00");
  EXPECT_EQ(receiver->versions_taken(), (std::vector<std::int64_t>{1, moved->version}));
  {
    auto tx = cash->store().begin();
    const auto had = tx->feeds().delivered(kDestination);
    ASSERT_TRUE(had);
    EXPECT_EQ(had->version, moved->version);
    EXPECT_EQ(had->feed_id, moved->feed_id);
  }
  for (const auto& e : feed_events()) {
    EXPECT_EQ(e.status, OutboxStatus::delivered);
    EXPECT_EQ(e.remote_id, "tms-" + std::to_string(forecast::parse_feed_event(e).version));
  }
}

TEST_P(TmsFeed, TheReceiverDownForAnHourLosesNothingAndTheNewestSnapshotWins) {
  auto d = dispatcher(https_target());
  ASSERT_TRUE(publish(false));
  ASSERT_EQ(d->run_once().delivered, 1);  // the receiver holds version 1
  receiver->set_down(true);
  // An hour: a payment every ten minutes and a snapshot after each, a scheduled snapshot every
  // twenty, the dispatcher trying every five.
  int snapshots = 1, failures = 0;
  for (int minute = 5; minute <= 60; minute += 5) {
    cash->clock().advance(std::chrono::minutes(5));
    if (minute % 10 == 0 && minute / 10 <= 5) {
      pay(minute / 10 - 1);
      snapshots += publish(true) ? 1 : 0;
    }
    if (minute % 20 == 0) snapshots += publish(false) ? 1 : 0;
    failures += d->run_once().retried;
  }
  EXPECT_GT(failures, 0);
  EXPECT_EQ(receiver->versions_taken(), std::vector<std::int64_t>{1});
  EXPECT_EQ(receiver->receipts().size(), 0u);

  receiver->set_down(false);
  cash->clock().advance(dispatch.max_backoff);  // the newest is due again
  const auto pass = d->run_once();
  EXPECT_EQ(pass.retried, 0);
  // One request carried everything: the newest version only, every payment of the hour booked
  // once, the paid invoices gone, the open ones still there.
  const auto taken = receiver->versions_taken();
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken.back(), snapshots);
  EXPECT_EQ(receiver->receipts().size(), 5u);
  EXPECT_EQ(receiver->duplicate_receipts(), 0);
  EXPECT_EQ(receiver->contradictions(), 0);
  EXPECT_EQ(receiver->flows().size(), 1u);
  EXPECT_EQ(receiver->flows().count(reference(5)), 1u);
  EXPECT_EQ(receiver->refused_signatures(), 0) << "signed when sent, not when queued an hour before";
  int superseded = 0;
  for (const auto& e : feed_events()) {
    EXPECT_EQ(e.status, OutboxStatus::delivered) << e.id.value();
    superseded += e.remote_id.rfind("superseded by ", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(superseded, snapshots - 2);
  EXPECT_EQ(d->run_once().claimed, 0);
}

TEST_P(TmsFeed, AWrongSecretIsRefusedAndRetriedAndARefusedFeedGoesDeadWithoutStoppingTheNext) {
  auto wrong = https_target();
  wrong.secret = "not-the-shared-secret-at-all";
  ASSERT_TRUE(publish(false));
  auto bad = dispatcher(wrong);
  EXPECT_EQ(bad->run_once().retried, 1);
  EXPECT_EQ(receiver->refused_signatures(), 1);
  EXPECT_TRUE(receiver->flows().empty());

  auto d = dispatcher(https_target());
  receiver->set_refuse(true);
  cash->clock().advance(dispatch.max_backoff);
  EXPECT_EQ(d->run_once().dead, 1);  // 422: it will keep refusing this content; a person looks
  receiver->set_refuse(false);
  pay(0);
  ASSERT_TRUE(publish(true));
  EXPECT_EQ(d->run_once().delivered, 1);
  EXPECT_EQ(receiver->flows().size(), 5u);
  // The first feed it took: it held no forecast, so there is nothing for a receipt to settle;
  // receipts start with the next one.
  EXPECT_TRUE(receiver->receipts().empty());
  pay(1);
  ASSERT_TRUE(publish(true));
  EXPECT_EQ(d->run_once().delivered, 1);
  EXPECT_EQ(receiver->receipts().size(), 1u);
  EXPECT_EQ(receiver->flows().size(), 4u);
}

TEST_P(TmsFeed, FilesGoToAFolderInTheConfiguredLayoutAndBySftpToARealServer) {
  test::TempDir out;
  connectors::TmsTargetSettings folder;
  folder.name = "files";
  folder.transport = "folder";
  folder.layout = "kyriba";
  folder.folder = out / "outgoing";
  auto to_folder = std::make_unique<outbox::TmsDispatcher>(cash->store(), clock, "tms:files", connectors::make_feed_sink(folder, clock),
                                                           settings, dispatch, "test-owner", spdlog::default_logger());
  const auto p = forecast::publish_feed(cash->store(), settings, {"tms:files", "tms:sftp"}, clock->now(), clock->today(), false);
  ASSERT_TRUE(p);
  EXPECT_EQ(to_folder->run_once().delivered, 1);
  const auto file = folder.folder / ("arcd-inflows-" + p->feed_id + ".csv");
  ASSERT_TRUE(std::filesystem::exists(file));
  const std::string text = test::read_file(file);
  EXPECT_EQ(text.rfind("Account Code,Flow Code,Budget Code,", 0), 0u) << text;
  EXPECT_NE(text.find("," + reference(3) + ",Customer C3 T-3\n"), std::string::npos) << text;

  test::TestSshd sshd;
  connectors::TmsTargetSettings sftp;
  sftp.name = "sftp";
  sftp.transport = "sftp";
  sftp.layout = "csv";
  auto o = test::sftp_options_for(sshd);
  sftp.sftp = o;
  auto to_sftp = std::make_unique<outbox::TmsDispatcher>(cash->store(), clock, "tms:sftp", connectors::make_feed_sink(sftp, clock), settings,
                                                         dispatch, "test-owner", spdlog::default_logger());
  EXPECT_EQ(to_sftp->run_once().delivered, 1);
  const auto uploaded = sshd.remote_dir() / ("arcd-inflows-" + p->feed_id + ".csv");
  ASSERT_TRUE(std::filesystem::exists(uploaded));
  EXPECT_FALSE(std::filesystem::exists(uploaded.string() + ".part"));
  const std::string csv = test::read_file(uploaded);
  EXPECT_EQ(csv.rfind("feed_id,generated_at,entity,", 0), 0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);  // the header and six flows

  // A host key that does not match is refused: the feed waits, nothing is uploaded elsewhere.
  o.known_hosts = sshd.wrong_known_hosts();
  sftp.sftp = o;
  auto wrong_host = std::make_unique<outbox::TmsDispatcher>(cash->store(), clock, "tms:sftp", connectors::make_feed_sink(sftp, clock),
                                                            settings, dispatch, "test-owner", spdlog::default_logger());
  ASSERT_TRUE(forecast::publish_feed(cash->store(), settings, {"tms:sftp"}, clock->now(), clock->today(), false));
  EXPECT_EQ(wrong_host->run_once().retried, 1);
}

TEST_P(TmsFeed, SnapshotsNobodyNeedsArePrunedAndTheOnesStillNeededStay) {
  connectors::TmsTargetSettings folder;
  folder.name = "files";
  folder.transport = "folder";
  test::TempDir out;
  folder.folder = out.path();
  auto to_treasury = dispatcher(https_target());
  auto to_files = dispatcher(folder);
  // v1 to both, delivered to both; v2..v4 to the treasury only, delivered; v5 to files, waiting.
  ASSERT_TRUE(forecast::publish_feed(cash->store(), settings, {kDestination, "tms:files"}, clock->now(), clock->today(), false));
  EXPECT_EQ(to_treasury->run_once().delivered, 1);
  EXPECT_EQ(to_files->run_once().delivered, 1);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(publish(false));
  EXPECT_EQ(to_treasury->run_once().delivered, 3);  // v4 sent, v2 and v3 superseded
  ASSERT_TRUE(forecast::publish_feed(cash->store(), settings, {"tms:files"}, clock->now(), clock->today(), false));
  ASSERT_TRUE(publish(false));  // v6, the latest, waiting for the treasury
  EXPECT_EQ(forecast::prune_snapshots(cash->store()), 2);  // v2 and v3
  {
    auto tx = cash->store().begin();
    for (std::int64_t v : {1, 4, 5, 6}) EXPECT_TRUE(tx->feeds().get(v)) << v;   // files' last, treasury's last, waiting, latest
    for (std::int64_t v : {2, 3}) EXPECT_FALSE(tx->feeds().get(v)) << v;
  }
  // What waits still goes out whole, each against what its destination has.
  pay(4);
  EXPECT_EQ(to_files->run_once().delivered, 1);
  EXPECT_EQ(to_treasury->run_once().delivered, 1);
  EXPECT_EQ(forecast::prune_snapshots(cash->store()), 2);  // v1 and v4: both destinations moved on
  auto tx = cash->store().begin();
  EXPECT_EQ(tx->feeds().delivered("tms:files")->version, 5);
  EXPECT_EQ(tx->feeds().delivered(kDestination)->version, 6);
}
