#pragma once
// Invoice numbers as payers mangle them. An invoice number and any piece of remittance text
// are both reduced to the same few keys, so "INV-2024-00123" is found in "inv 2024/123",
// "RE 202400123", "Rechnung INV-2024-00\n123" or "INV2024-123".

#include <string>
#include <string_view>
#include <vector>

namespace arcd::cashapp {

// The keys an invoice number is indexed under: its tokens (letters and digits split apart,
// leading prefix words such as "INV" dropped) joined with '-' with leading zeros dropped
// ("2024-123"), and concatenated as written ("202400123"). Keys shorter than `min_length` characters, or without a digit, are left
// out. `prefixes` are upper case.
std::vector<std::string> invoice_number_keys(std::string_view number, const std::vector<std::string>& prefixes,
                                             std::size_t min_length);

// The keys of every run of up to five tokens in free text that could be an invoice number,
// in the same forms. Runs may cross line breaks and up to three separator characters.
std::vector<std::string> text_number_keys(std::string_view text, const std::vector<std::string>& prefixes,
                                          std::size_t min_length);

}  // namespace arcd::cashapp
