#pragma once
// Payer names as banks pass them ("MUELLER + SOEHNE KG", "Müller & Söhne GmbH & Co. KG"),
// brought to one form so the customer master can be searched.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arcd::cashapp {

// Lower case ASCII words: accents folded (ü -> ue, é -> e, ß -> ss), punctuation dropped,
// legal-form words (GmbH, KG, Ltd, B.V., S.A., Inc, ...) and joiners (and, und, &) removed,
// words joined by single spaces. "" when nothing distinctive is left.
std::string normalize_name(std::string_view name);

// The words of a normalized name.
std::vector<std::string> name_words(const std::string& normalized);

// Similarity of two normalized names, 0..100: Dice's coefficient over character bigrams,
// so a dropped letter or swapped word order costs little and another company a lot.
int name_similarity(const std::string& a, const std::string& b);

// The same in two steps, for comparing one name with many: the sorted bigrams of a
// normalized name, then the similarity of two such lists.
using NameBigrams = std::vector<std::uint16_t>;
NameBigrams name_bigrams(const std::string& normalized);
int bigram_similarity(const NameBigrams& a, const NameBigrams& b);

}  // namespace arcd::cashapp
