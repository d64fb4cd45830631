#include "outbox/mail_dispatcher.hpp"

#include <algorithm>

#include "outbox/mail_events.hpp"

namespace arcd::outbox {

MailDispatcher::MailDispatcher(Store& store, std::shared_ptr<const Clock> clock, std::unique_ptr<MailTransport> transport,
                               MailDispatchSettings settings, std::string owner, std::shared_ptr<spdlog::logger> log)
    : store_(store),
      clock_(std::move(clock)),
      transport_(std::move(transport)),
      s_(std::move(settings)),
      owner_(std::move(owner)),
      log_(std::move(log)) {}

DispatchPass MailDispatcher::run_once() {
  DispatchPass pass;
  for (int sent = 0; sent < s_.per_pass; sent += s_.batch) {
    std::vector<OutboxEvent> claimed;
    {
      auto tx = store_.begin();
      const Instant now = clock_->now();
      claimed = tx->outbox().claim(kMailDestination, now, now + s_.lease, owner_, s_.batch);
      tx->commit();  // the claim is on record before anything is sent
    }
    if (claimed.empty()) break;
    pass.claimed += static_cast<int>(claimed.size());
    for (const auto& e : claimed) deliver(e, pass);
  }
  return pass;
}

DispatchPass MailDispatcher::drain(std::chrono::seconds budget, const std::atomic<bool>* stop) {
  DispatchPass total;
  const auto until = std::chrono::steady_clock::now() + budget;
  while (std::chrono::steady_clock::now() < until && !(stop && *stop)) {
    const auto p = run_once();
    total.claimed += p.claimed;
    total.delivered += p.delivered;
    total.retried += p.retried;
    total.dead += p.dead;
    total.lost_claims += p.lost_claims;
    if (p.claimed == 0) break;
  }
  return total;
}

void MailDispatcher::deliver(const OutboxEvent& e, DispatchPass& pass) {
  auto finish = [&](const std::function<bool(Transaction&)>& record) {
    auto tx = store_.begin();
    if (!record(*tx)) {
      ++pass.lost_claims;
      return;
    }
    tx->commit();
  };
  MailEvent m;
  try {
    m = parse_mail_event(e);
  } catch (const std::exception& ex) {
    finish([&](Transaction& tx) { return tx.outbox().mark_dead(e.id, owner_, ex.what()); });
    ++pass.dead;
    return;
  }
  auto set_status = [&](Transaction& tx, const std::string& status, const std::string& error) {
    tx.dunning().set_communication_status(m.communication_id, status, error);
  };
  if (e.lapsed_claims > 0) {
    const std::string why =
        "a daemon stopped while sending this message; whether it went out is unknown, so it is not sent again "
        "(check the mail server's log, then retry or drop it)";
    finish([&](Transaction& tx) {
      if (!tx.outbox().mark_dead(e.id, owner_, why)) return false;
      set_status(tx, "unknown", why);
      return true;
    });
    log_->warn("MAIL_UNKNOWN message_id={} event={} reason=lapsed_claim", m.message.message_id, e.id.value());
    ++pass.dead;
    return;
  }

  const MailResult r = transport_->send(m.message);
  switch (r.outcome) {
    case MailOutcome::sent:
      finish([&](Transaction& tx) {
        if (!tx.outbox().mark_delivered(e.id, owner_, m.message.message_id)) return false;
        set_status(tx, "sent", "");
        std::string to;
        for (const auto& a : m.message.to) to += (to.empty() ? "" : ", ") + a;
        tx.activities().add_activity({{}, m.customer, "email", "sent \"" + m.message.subject + "\" to " + to, "system:mail", {}});
        return true;
      });
      log_->info("MAIL_SENT message_id={} recipients={} code={}", m.message.message_id, m.message.to.size(), r.smtp_code);
      ++pass.delivered;
      return;
    case MailOutcome::rejected:
      finish([&](Transaction& tx) {
        if (!tx.outbox().mark_dead(e.id, owner_, r.detail)) return false;
        set_status(tx, "bounced", r.detail);
        const auto c = tx.customers().get(m.customer);
        if (r.recipient_refused) {
          for (const auto& a : m.message.to) tx.contacts().mark_invalid(m.customer, a, "refused by the mail server: " + r.detail);
        }
        Task t;
        t.customer_id = m.customer;
        t.kind = "fix_contact";
        t.title = "Fix billing contact" + std::string(c ? " of " + c->name : "") + ": \"" + m.message.subject + "\" was refused (" +
                  r.detail + ")";
        t.assignee = c && s_.collector_of ? s_.collector_of(*c) : (c ? c->collector : "");
        t.due = clock_->today().plus_days(1);
        t.source_key = "bounce:" + m.message.message_id;
        tx.activities().add_task_once(t);
        tx.activities().add_activity({{}, m.customer, "email", "bounced: " + r.detail, "system:mail", {}});
        return true;
      });
      log_->warn("MAIL_REJECTED message_id={} code={} detail={}", m.message.message_id, r.smtp_code, r.detail);
      ++pass.dead;
      return;
    case MailOutcome::unknown:
      finish([&](Transaction& tx) {
        if (!tx.outbox().mark_dead(e.id, owner_, "outcome unknown: " + r.detail)) return false;
        set_status(tx, "unknown", r.detail);
        return true;
      });
      log_->warn("MAIL_UNKNOWN message_id={} detail={}", m.message.message_id, r.detail);
      ++pass.dead;
      return;
    case MailOutcome::transient: {
      const int attempts = e.attempts + 1;
      if (attempts >= s_.max_attempts) {
        finish([&](Transaction& tx) {
          if (!tx.outbox().mark_dead(e.id, owner_, r.detail)) return false;
          set_status(tx, "failed", r.detail);
          return true;
        });
        ++pass.dead;
      } else {
        auto wait = s_.base_backoff * (1LL << std::min(attempts - 1, 16));
        wait = std::min<std::chrono::seconds>(wait, s_.max_backoff);
        finish([&](Transaction& tx) { return tx.outbox().mark_retry(e.id, owner_, r.detail, clock_->now() + wait); });
        ++pass.retried;
      }
      log_->warn("MAIL_RETRY message_id={} attempt={} detail={}", m.message.message_id, attempts, r.detail);
      return;
    }
  }
}

}  // namespace arcd::outbox
