#pragma once
// BAI2 (Cash Management Balance Reporting Specification v2, and BTRS v3 which keeps its
// grammar). Records 01, 02, 03, 16, 88, 49, 98, 99; 88 continuations joined to what they
// continue; amounts in the currency's minor units; funds types with their extra fields;
// control totals and record counts of 49, 98 and 99 checked.
// One Statement per account (03 record) per group.
//
// Problem codes: BAI2_STRUCTURE (records out of order, missing trailer), BAI2_FIELD (a bad
// amount, date, type code or funds type), BAI2_CONTROL_TOTAL and BAI2_RECORD_COUNT (a trailer
// that disagrees with its records; with accept_bad_control_totals a warning instead).
// `where` is "<file>:<line>".

#include <string_view>

#include "arcd/error.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::mapping {

Result<ParseSummary> parse_bai2(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                const StatementParseOptions& options = {});

// The direction of a BAI2 type code (100-399 and 920-959 credit, 400-699 and 960-999 debit,
// loan codes by the spec's table), or nullopt for status, summary and non-monetary codes.
std::optional<Direction> bai2_direction(int type_code);

}  // namespace arcd::mapping
