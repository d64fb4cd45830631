// The entry key is the identity that makes re-deliveries idempotent: what must and must not
// change it.
#include <gtest/gtest.h>

#include "mapping/entry_key.hpp"

using namespace arcd;

namespace {

Entry base() {
  Entry e;
  e.amount = e.entry_amount = Money(25000, Currency::of("EUR"));
  e.direction = Direction::credit;
  e.value_date = Date(2026, 11, 23);
  e.booking_date = Date(2026, 11, 23);
  e.bank_reference = "BANKREF-1";
  e.end_to_end_id = "E2E-1";
  e.remittance = "INV-1001";
  return e;
}

}  // namespace

TEST(EntryKey, PendingThenBookedKeepsItsIdentity) {
  Entry pending = base();
  pending.status = EntryStatus::pending;
  pending.booking_date.reset();  // pending entries often have no booking date yet
  Entry booked = base();
  EXPECT_EQ(mapping::make_entry_key("DE89", pending), mapping::make_entry_key("DE89", booked));
}

TEST(EntryKey, WhatTellsEntriesApart) {
  const std::string key = mapping::make_entry_key("DE89", base());
  auto differs = [&](auto change) {
    Entry e = base();
    change(e);
    return mapping::make_entry_key("DE89", e) != key;
  };
  EXPECT_TRUE(differs([](Entry& e) { e.entry_amount = Money(25001, Currency::of("EUR")); }));
  EXPECT_TRUE(differs([](Entry& e) { e.direction = Direction::debit; }));
  EXPECT_TRUE(differs([](Entry& e) { e.reversal = true; }));
  EXPECT_TRUE(differs([](Entry& e) { e.detail_index = 1; }));
  EXPECT_TRUE(differs([](Entry& e) { e.end_to_end_id = "E2E-2"; }));
  EXPECT_TRUE(differs([](Entry& e) { e.bank_reference = "BANKREF-2"; }));
  EXPECT_TRUE(differs([](Entry& e) { e.amount = Money(25000, Currency::of("USD")); }));
  EXPECT_NE(mapping::make_entry_key("DE89", base()), mapping::make_entry_key("DE90", base()));
  // With a bank reference the dates do not matter (a value date corrected by the bank).
  EXPECT_FALSE(differs([](Entry& e) { e.value_date = Date(2026, 11, 24); }));
}

TEST(EntryKey, PlaceholderReferencesFallBackToTheDate) {
  Entry a = base();
  a.bank_reference = "NONREF";
  Entry b = a;
  b.value_date = Date(2026, 11, 24);
  EXPECT_NE(mapping::make_entry_key("DE89", a), mapping::make_entry_key("DE89", b));
  Entry c = a;
  c.bank_reference = "NOTPROVIDED";
  EXPECT_EQ(mapping::make_entry_key("DE89", a), mapping::make_entry_key("DE89", c));
}
