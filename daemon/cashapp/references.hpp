#pragma once
// Payment references as payers and banks write them: ISO 11649 RF creditor references and
// the compact form every reference is compared in.

#include <string>
#include <string_view>
#include <vector>

namespace arcd::cashapp {

// Upper case letters and digits only: "rf18 5390-0754" -> "RF1853900754".
std::string compact_reference(std::string_view text);

// ISO 11649: "RF", two check digits, 1 to 21 letters or digits, mod 97 of the rearranged
// number equal to 1. Takes the compact form.
bool is_valid_rf(std::string_view compact);
// The RF reference for `body` (1 to 21 upper case letters or digits): "RF" + check digits + body.
std::string make_rf(std::string_view body);

// Every valid RF reference in free text, compact, in order of appearance. Payers print them
// in groups of four ("RF18 5390 0754 7034"), so single spaces inside are allowed. References
// whose check digits fail are not returned: they are evidence of nothing.
std::vector<std::string> find_rf_references(std::string_view text);

// The whitespace-separated words of a text.
std::vector<std::string_view> words_of(std::string_view text);

// Runs of digits in free text, with spaces, dots, slashes and plus signs inside allowed
// ("+++090/9337/55493+++"), of at least `min_digits` digits: where national structured
// references hide in unstructured remittance.
std::vector<std::string> find_digit_runs(std::string_view text, std::size_t min_digits);

}  // namespace arcd::cashapp
