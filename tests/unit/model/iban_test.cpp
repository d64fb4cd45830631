#include <gtest/gtest.h>

#include "arcd/iban.hpp"

TEST(Iban, NormalizesAndValidates) {
  EXPECT_EQ(arcd::normalize_account("de89 3704-0044 0532 0130 00"), "DE89370400440532013000");
  EXPECT_TRUE(arcd::is_valid_iban("DE89370400440532013000"));
  EXPECT_TRUE(arcd::is_valid_iban("GB29NWBK60161331926819"));
  EXPECT_TRUE(arcd::is_valid_iban("CH9300762011623852957"));
  EXPECT_FALSE(arcd::is_valid_iban("DE88370400440532013000"));  // check digits off by one
  EXPECT_FALSE(arcd::is_valid_iban("DE8937040044"));            // too short
  EXPECT_TRUE(arcd::looks_like_iban("DE00"));
  EXPECT_FALSE(arcd::looks_like_iban("123456789"));
}
