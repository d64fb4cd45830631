#pragma once
// SWIFT MT940 customer statements and MT942 interim reports: :20:, :25:, :28C:, :60F/M:,
// :61: with :86:, :62F/M:, :64:, :65:; several messages per file; SWIFT blocks, bank header
// lines and SOH/ETX framing tolerated. :86: is read in its common structured forms: German
// "GVC?00..?20..?32.." with SEPA keywords (EREF+, SVWZ+, ...) and Dutch "/EREF/../REMI/../".
//
// Problem codes: MT940_STRUCTURE (no statement, a line outside one, a missing tag),
// MT940_FIELD (a bad date, mark, amount or balance). `where` is "<file>:<line>".

#include <string_view>

#include "arcd/error.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::mapping {

Result<ParseSummary> parse_mt940(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                 const StatementParseOptions& options = {});

}  // namespace arcd::mapping
