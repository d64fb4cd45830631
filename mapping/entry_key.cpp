#include "mapping/entry_key.hpp"

namespace arcd::mapping {

std::string make_entry_key(const std::string& account, const Entry& e) {
  std::string key = account + "|" + std::string(e.amount.currency().code()) + "|";
  const std::string& ref = e.bank_reference;
  // Placeholders mean "no reference". A real bank reference is not unique on its own either
  // (ABN AMRO and ING give one to several entries), so what tells entries apart goes with it;
  // no booking date though, which a pending entry lacks and its booked self then has.
  const bool has_ref = !ref.empty() && ref != "NONREF" && ref != "NOTPROVIDED" && ref != "NONE";
  if (has_ref) {
    key += "ref:" + ref;
  } else {
    const auto date = e.value_date ? e.value_date : e.booking_date;
    key += date ? date->to_string() : std::string("-");
  }
  key += std::string("|") + (e.direction == Direction::credit ? "C" : "D") + "|" + e.entry_amount.to_string() + "|" +
         e.end_to_end_id + "|" + e.details.entry_reference + "|" + e.remittance.substr(0, 35);
  if (e.reversal) key += "|R";
  key += "#" + std::to_string(e.detail_index);
  return key;
}

}  // namespace arcd::mapping
