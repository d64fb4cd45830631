#include "api/statement_routes.hpp"

#include <boost/json.hpp>

#include "api/json_views.hpp"
#include "api/paging.hpp"
#include "statements/statement_import.hpp"

namespace arcd::api {
namespace json = boost::json;

void add_statement_routes(Router& router, Store& store, SourceOptions options, std::shared_ptr<spdlog::logger> log,
                          std::function<void()> after_import) {
  router.add("POST", "/api/v1/statements", RunOn::worker, [&store, options, log, after_import](HttpRequest& r) {
    if (r.body.empty()) return problem(400, "empty_body", "send the statement file as the request body");
    const std::string source = r.query.count("source") ? r.query.at("source") : "";
    auto parse = options(source);
    if (!parse) return problem(400, "unknown_source", "no statement source named '" + source + "'");
    if (r.query.count("encoding")) {
      const auto encoding = mapping::text_encoding_named(r.query.at("encoding"));
      if (!encoding) {
        return problem(400, "bad_encoding", "encoding '" + r.query.at("encoding") + "': use " + mapping::kTextEncodingChoices);
      }
      parse->text_encoding = *encoding;
    }
    const std::string name = r.query.count("name") && !r.query.at("name").empty() ? r.query.at("name") : "upload";
    auto report = statements::import_statement_file(store, name, r.body, *parse, "api:" + (r.remote.empty() ? "anonymous" : r.remote));
    if (!report) {
      const auto& p = report.problem();
      log->warn("STMT_UPLOAD_REJECTED file={} {}", name, p.to_string());
      auto resp = problem(422, p.code, p.what);
      auto body = json::parse(resp.body).as_object();
      body["where"] = p.where;
      resp.body = json::serialize(body);
      return resp;
    }
    if (!report.value().already_imported && after_import) after_import();
    return json_response(report.value().already_imported ? 200 : 201, report.value().to_json());
  });

  router.add("GET", "/api/v1/statements", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    json::array items;
    auto tx = store.begin();
    for (const auto& s : tx->statements().list(*page)) items.push_back(statement_json(s));
    return json_response(200, json::serialize(json::object{{"items", items}}));
  });

  router.add("GET", "/api/v1/statements/{id}/entries", RunOn::worker, [&store](HttpRequest& r) {
    HttpResponse error;
    auto page = page_of(r, error);
    if (!page) return error;
    const auto parsed = id_param(r, "id", error);
    if (!parsed) return error;
    const long long id = *parsed;
    auto tx = store.begin();
    if (!tx->statements().get(StatementId(id))) return problem(404, "not_found", "no statement " + std::to_string(id));
    json::array items;
    for (const auto& e : tx->entries().list_by_statement(StatementId(id), *page)) items.push_back(entry_json(e));
    return json_response(200, json::serialize(json::object{{"items", items}}));
  });
}

}  // namespace arcd::api
