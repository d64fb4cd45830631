#pragma once
// Parses a statement file on a thread of its own and hands what the parser delivers to a sink
// on the calling thread, in the parser's order. An import then reads the next entries while
// it writes these: parsing is a fifth to a quarter of an import, and on two cores it comes free.
// At most a few batches wait between the threads, so memory stays flat in the file size.

#include <string_view>

#include "arcd/error.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::statements {

// As mapping::parse_statement_file. options.progress is called on the parser's thread. When
// the sink throws, the parser is stopped and the exception comes out of this call.
Result<mapping::ParseSummary> parse_beside(std::string_view bytes, std::string_view file_name, mapping::StatementSink& sink,
                                           const mapping::StatementParseOptions& options);

}  // namespace arcd::statements
