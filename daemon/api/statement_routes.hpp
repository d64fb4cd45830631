#pragma once
// Bank statements over HTTP.
//   POST /api/v1/statements?name=FILE&source=NAME   body: the raw file (any supported format)
//        201 + import report; 200 + report with "already_imported": true for a file seen before;
//        422 problem (code = the parser's, e.g. CAMT_BAD_AMOUNT, with where/what) when rejected.
//   GET  /api/v1/statements?after=ID&limit=N           statements, oldest first, keyset paging
//   GET  /api/v1/statements/{id}/entries?after=ID&limit=N

#include <functional>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "api/router.hpp"
#include "arcd/store.hpp"
#include "mapping/statement_sink.hpp"

namespace arcd::api {

// The parse options of a named statement source ("" = defaults); nullopt for an unknown name.
using SourceOptions = std::function<std::optional<mapping::StatementParseOptions>(const std::string& source)>;

// `after_import` runs (on the worker) after a file was imported: cash application.
void add_statement_routes(Router& router, Store& store, SourceOptions options, std::shared_ptr<spdlog::logger> log,
                          std::function<void()> after_import = {});

}  // namespace arcd::api
