#include "mapping/entry_key.hpp"

namespace arcd::mapping {

std::string make_entry_key(const std::string& account, const Entry& e) {
  // Built by appending into one buffer: this runs for every entry of every file. The text
  // must stay exactly as it is: stored keys from earlier imports are compared with it.
  std::string key;
  key.reserve(account.size() + e.bank_reference.size() + e.end_to_end_id.size() + e.details.entry_reference.size() + 96);
  key += account;
  key += '|';
  key += e.amount.currency().code();
  key += '|';
  const std::string& ref = e.bank_reference;
  // Placeholders mean "no reference". A real bank reference is not unique on its own either
  // (ABN AMRO and ING give one to several entries), so what tells entries apart goes with it;
  // no booking date though, which a pending entry lacks and its booked self then has.
  const bool has_ref = !ref.empty() && ref != "NONREF" && ref != "NOTPROVIDED" && ref != "NONE";
  if (has_ref) {
    key += "ref:";
    key += ref;
  } else {
    const auto date = e.value_date ? e.value_date : e.booking_date;
    key += date ? date->to_string() : std::string("-");
  }
  key += '|';
  key += e.direction == Direction::credit ? 'C' : 'D';
  key += '|';
  key += e.entry_amount.to_string();
  key += '|';
  key += e.end_to_end_id;
  key += '|';
  key += e.details.entry_reference;
  key += '|';
  key += std::string_view(e.remittance).substr(0, 35);
  if (e.reversal) key += "|R";
  key += '#';
  key += std::to_string(e.detail_index);
  return key;
}

}  // namespace arcd::mapping
