#pragma once
// EntryDetails <-> the JSON kept in entries.details.

#include <string>

#include "arcd/model.hpp"

namespace arcd::store {

std::string entry_details_to_json(const EntryDetails& d);
// Unknown or malformed JSON gives empty details rather than failing a read.
EntryDetails entry_details_from_json(const std::string& json);

}  // namespace arcd::store
