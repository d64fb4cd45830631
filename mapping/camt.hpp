#pragma once
// ISO 20022 camt.053 (statement), camt.052 (report) and camt.054 (notification), every version
// 001.01 to 001.14 (the namespace says which). Pure: bytes in, statements to the sink or a
// precise problem out. Batch entries are split into one Entry per transaction detail.
//
// Problem codes: XML_* (see xml_pieces.hpp), CAMT_NAMESPACE, CAMT_NO_RECORDS, CAMT_NO_AMOUNT,
// CAMT_BAD_AMOUNT, CAMT_NO_CURRENCY, CAMT_BAD_INDICATOR, CAMT_BAD_DATE; `where` is
// "<file>:<line> <path>" with the element path inside the statement, e.g. "Stmt[1]/Ntry[3]/Amt".

#include <string_view>

#include "arcd/error.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::mapping {

Result<ParseSummary> parse_camt(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                const StatementParseOptions& options = {});

}  // namespace arcd::mapping
