#include "arcd/digest.hpp"

#include <gtest/gtest.h>

#include <string>

namespace arcd {
namespace {

// FIPS 180-2 test vectors.
TEST(Digest, Sha256OfKnownTexts) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, PieceByPieceIsTheSameAsAtOnce) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += static_cast<char>('a' + i % 26);
  for (std::size_t piece : {std::size_t(1), std::size_t(63), std::size_t(64), std::size_t(8191), text.size()}) {
    Sha256 h;
    for (std::size_t at = 0; at < text.size(); at += piece) h.update(std::string_view(text).substr(at, piece));
    EXPECT_EQ(h.hex(), sha256_hex(text)) << "pieces of " << piece;
  }
  Sha256 nothing;
  EXPECT_EQ(nothing.hex(), sha256_hex(""));
}

}  // namespace
}  // namespace arcd
