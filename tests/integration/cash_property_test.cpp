// Property: on thousands of random payments whose right answer the generator knows, the
// engine never applies to a wrong invoice, never applies more than exists, and never loses a
// cent (the invariant, checked after every run by CashStore::run).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "cash_fixture.hpp"
#include "cashapp/references.hpp"

using namespace arcd;

namespace {

// A valid ISO 11649 reference for a base: check digits = 98 - mod97(base + "RF00").
std::string make_rf(const std::string& base) {
  for (int cd = 2; cd <= 98; ++cd) {
    const std::string r = "RF" + std::string(cd < 10 ? "0" : "") + std::to_string(cd) + base;
    if (cashapp::is_valid_rf(r)) return r;
  }
  throw std::runtime_error("no check digits for " + base);
}

std::string money_text(std::int64_t minor) {
  return std::to_string(minor / 100) + "." + (minor % 100 < 10 ? "0" : "") + std::to_string(minor % 100);
}

// The ways payers write "P<round>-<seq>" (the invoice numbers generated here, seq zero-padded).
std::string mangle(const std::string& prefix, int round, int seq, int how) {
  char padded[16];
  std::snprintf(padded, sizeof padded, "%05d", seq);
  const std::string r = std::to_string(round);
  switch (how % 6) {
    case 0: return prefix + r + "-" + padded;
    case 1: return "re " + prefix + r + "/" + std::to_string(seq);
    case 2: return prefix + r + padded;
    case 3: return "Rechnung " + prefix + r + "-" + std::string(padded).substr(0, 2) + "\n" + std::string(padded).substr(2);
    case 4: return "inv " + prefix + " " + r + " " + std::to_string(seq);
    default: return "Zahlung " + prefix + r + "-" + padded + " danke";
  }
}

struct Expected {
  std::set<std::int64_t> invoices;  // the invoices this payment pays (empty: it must not auto-apply)
};

}  // namespace

TEST(CashProperty, RandomPaymentsNeverMisappliedNeverLost) {
  std::mt19937_64 rng(20261124);
  std::int64_t payments = 0, auto_applied = 0, wrong = 0, with_reference = 0, applied_with_reference = 0;
  for (int round = 1; round <= 150; ++round) {
    test::CashStore cash("sqlite");
    // Every other round commits every few entries: the writes and invariant checks of several
    // batches overlap the matching of the next.
    if (round % 2) cash.settings.batch_size = 3 + round % 5;
    std::vector<test::InvoiceSpec> invoices;
    struct Inv {
      std::string number, customer, rf;
      int seq;
      std::int64_t amount;
    };
    std::vector<Inv> all;
    const int customers = 4 + static_cast<int>(rng() % 6);
    int seq = 0;
    for (int c = 0; c < customers; ++c) {
      const int n = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < n; ++k) {
        Inv inv;
        inv.seq = ++seq;
        char padded[16];
        std::snprintf(padded, sizeof padded, "%05d", inv.seq);
        inv.number = "P" + std::to_string(round) + "-" + padded;
        inv.customer = "R" + std::to_string(round) + "C" + std::to_string(c);
        inv.amount = 1000 + static_cast<std::int64_t>(rng() % 500000);
        if (rng() % 2) inv.rf = make_rf(std::to_string(round) + "X" + std::to_string(inv.seq) + "Z");
        // Customers share no names and no accounts: payer identification is by data only.
        invoices.push_back({inv.number, inv.customer, money_text(inv.amount), inv.rf, "EUR", "Company " + inv.customer,
                            "DE" + std::to_string(10 + c) + "5001051700" + std::to_string(100000 + round * 100 + c)});
        all.push_back(inv);
      }
    }
    cash.invoices(invoices);

    std::vector<test::CreditSpec> specs;
    std::vector<Expected> expected;
    std::shuffle(all.begin(), all.end(), rng);
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Inv& inv = all[i];
      const int kind = static_cast<int>(rng() % 10);
      test::CreditSpec s;
      Expected x;
      if (kind < 4 && !inv.rf.empty()) {  // RF, structured or in the text
        s.amount = money_text(inv.amount);
        if (rng() % 2) s.reference = inv.rf;
        else s.remittance = "Ref " + inv.rf.substr(0, 4) + " " + inv.rf.substr(4);
        x.invoices = {static_cast<std::int64_t>(i)};
        ++with_reference;
      } else if (kind < 8) {  // the invoice number, mangled; sometimes partial or over
        std::int64_t amount = inv.amount;
        if (rng() % 4 == 0) amount = inv.amount / 2 + 1;
        else if (rng() % 8 == 0) amount = inv.amount + 777;
        s.amount = money_text(amount);
        s.remittance = mangle("P", round, inv.seq, static_cast<int>(rng()));
        s.payer_name = "Company " + inv.customer;
        x.invoices = {static_cast<std::int64_t>(i)};
        ++with_reference;
      } else if (kind == 8) {  // payer and amount only: must wait for a person
        s.amount = money_text(inv.amount);
        s.payer_name = "Company " + inv.customer;
      } else {  // noise
        s.amount = money_text(100 + static_cast<std::int64_t>(rng() % 100000));
        s.payer_name = "Unknown Payer " + std::to_string(rng() % 1000);
        s.remittance = "Thanks " + std::to_string(rng() % 100000);
      }
      specs.push_back(s);
      expected.push_back(x);
    }
    const auto ids = cash.credits(specs);
    cash.run();

    // Which invoice ids do the generator's indexes stand for?
    std::map<std::int64_t, std::int64_t> invoice_index;  // invoice id -> index in `all`
    for (std::size_t i = 0; i < all.size(); ++i) invoice_index[cash.invoice(all[i].number).id.value()] = static_cast<std::int64_t>(i);
    for (std::size_t p = 0; p < ids.size(); ++p) {
      ++payments;
      bool applied = false;
      for (const auto& a : cash.applications(ids[p])) {
        if (a.kind != ApplicationKind::apply) continue;
        applied = true;
        const auto idx = invoice_index.at(a.invoice_id->value());
        if (!expected[p].invoices.count(idx)) {
          ++wrong;
          ADD_FAILURE() << "round " << round << " payment " << p << " (" << specs[p].remittance << specs[p].reference
                        << ") applied to " << all[static_cast<std::size_t>(idx)].number;
        }
      }
      auto_applied += applied;
      if (!applied && !expected[p].invoices.empty() && std::getenv("ARCD_PROPERTY_VERBOSE")) {
        const auto q = cash.queued(ids[p]);
        std::printf("not applied: '%s' '%s' %s: %s %s\n", specs[p].remittance.c_str(), specs[p].reference.c_str(),
                    specs[p].amount.c_str(), q ? q->reason.c_str() : "-", q ? q->detail.c_str() : "");
      }
      if (!expected[p].invoices.empty()) applied_with_reference += applied;
    }
  }
  std::printf("%lld payments, %lld auto-applied, %lld wrong; %lld of %lld with a reference applied\n",
              static_cast<long long>(payments), static_cast<long long>(auto_applied), static_cast<long long>(wrong),
              static_cast<long long>(applied_with_reference), static_cast<long long>(with_reference));
  EXPECT_EQ(wrong, 0);
  EXPECT_GE(applied_with_reference * 100, with_reference * 95);
}
