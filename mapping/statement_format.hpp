#pragma once
// Which statement format a file is, from its content (never its name), and the parse that goes
// with it.

#include <string_view>

#include "arcd/error.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::mapping {

enum class StatementFormat { camt, bai2, mt940, unknown };

StatementFormat detect_statement_format(std::string_view bytes) noexcept;

// Detects and parses. Problem STMT_UNKNOWN_FORMAT when the content is none of camt, BAI2, MT940.
Result<ParseSummary> parse_statement_file(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                          const StatementParseOptions& options = {});

}  // namespace arcd::mapping
