#pragma once
// A 128-bit integer for intermediate products of money arithmetic (amount x rate, amount x
// share), where int64 minor units times a factor could overflow before the division.
// GCC and Clang both have it; __extension__ keeps -Wpedantic quiet about a non-ISO type.

namespace arcd {
__extension__ typedef __int128 int128;
}  // namespace arcd
