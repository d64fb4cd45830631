#include "mapping/statement_format.hpp"

#include "mapping/bai2.hpp"
#include "mapping/camt.hpp"
#include "mapping/mt940.hpp"

namespace arcd::mapping {

StatementFormat detect_statement_format(std::string_view b) noexcept {
  if (b.starts_with("\xEF\xBB\xBF")) b.remove_prefix(3);
  std::size_t i = 0;
  while (i < b.size() && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n' || b[i] == '\x01')) ++i;
  const std::string_view head = b.substr(i, 4096);
  if (head.starts_with("<")) return StatementFormat::camt;
  if (head.starts_with("01,")) return StatementFormat::bai2;
  // MT940: SWIFT blocks, or a :20: tag near the start (after bank header lines).
  if (head.starts_with("{1:") || head.starts_with(":20:") || head.find("\n:20:") != std::string_view::npos) {
    return StatementFormat::mt940;
  }
  return StatementFormat::unknown;
}

Result<ParseSummary> parse_statement_file(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                          const StatementParseOptions& options) {
  switch (detect_statement_format(bytes)) {
    case StatementFormat::camt: return parse_camt(bytes, origin, sink, options);
    case StatementFormat::bai2: return parse_bai2(bytes, origin, sink, options);
    case StatementFormat::mt940: return parse_mt940(bytes, origin, sink, options);
    case StatementFormat::unknown: break;
  }
  return Problem{"STMT_UNKNOWN_FORMAT", std::string(origin),
                 "the content is none of ISO 20022 camt.05x XML, BAI2 (starts with 01,) or MT940 (:20:)"};
}

}  // namespace arcd::mapping
