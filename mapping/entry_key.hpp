#pragma once
// The stable identity of a bank entry, the same whichever file delivers it (camt.052 intraday
// then camt.053 end of day, a re-sent statement, a bank reusing statement ids across years):
//   <account>|<currency>|ref:<bank reference>|<C|D>|<amount>|<references>[|R]#<detail>
// where the bank gives a reference, otherwise the value date (else booking date) in its place.
// <references> are the end-to-end id, entry reference and the first 35 characters of the
// remittance, which tell apart entries a bank gave one reference to; R marks a reversal;
// <detail> is the transaction's index within a batch entry. Two entries equal in all of this
// within one file are told apart by the importer (occurrence number).

#include <string>

#include "arcd/model.hpp"

namespace arcd::mapping {

std::string make_entry_key(const std::string& account, const Entry& e);

}  // namespace arcd::mapping
