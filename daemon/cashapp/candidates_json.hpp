#pragma once
// Candidates as the exception queue stores and shows them (JSON).

#include <string>
#include <vector>

#include "cashapp/matcher.hpp"

namespace arcd::cashapp {

// [{"rule", "score", "evidence", "customer": {"id", "external_id"}, "invoices": [{"id", "number", "open", "currency"}]}]
std::string candidates_to_json(const std::vector<Candidate>& candidates, const OpenItems& items);

}  // namespace arcd::cashapp
