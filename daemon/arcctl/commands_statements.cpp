// arcctl statements import FILE... | statements list | statements raw SHA256 | entries list [--statement ID]
#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "api/json_views.hpp"
#include "arcctl/commands.hpp"
#include "arcd/error.hpp"
#include "connectors/mapped_file.hpp"
#include "statements/statement_import.hpp"

namespace arcd::arcctl {
namespace json = boost::json;

namespace {

// --source NAME: that statement source's leniency and limits; else defaults. --encoding NAME
// reads the files' text so, whatever the source says.
app::StatementSourceSection source_for(Context& c) {
  app::StatementSourceSection source;
  if (auto name = c.option("source")) {
    const auto& sources = c.config().statement_sources;
    const auto it = std::find_if(sources.begin(), sources.end(), [&](const auto& s) { return s.name == *name; });
    if (it == sources.end()) throw Error("CLI_USAGE", "no statement source named '" + *name + "' in the configuration");
    source = *it;
  }
  if (auto name = c.option("encoding")) {
    const auto encoding = mapping::text_encoding_named(*name);
    if (!encoding) throw Error("CLI_USAGE", "--encoding '" + *name + "': use " + mapping::kTextEncodingChoices);
    source.parse.text_encoding = *encoding;
  }
  return source;
}

}  // namespace

int cmd_statements_import(Context& c) {
  if (c.words.empty()) throw Error("CLI_USAGE", "statements import needs at least one FILE");
  const auto source = source_for(c);
  Store& store = c.migrated_store();
  int failures = 0;
  for (const auto& file : c.words) {
    auto mapped = connectors::MappedFile::open(file, source.max_file_bytes);
    if (!mapped) {
      c.err << mapped.problem().to_string() << "\n";
      ++failures;
      continue;
    }
    // Large files: progress on stderr every 64 MB, parsed pages given back.
    auto parse = source.parse;
    const std::size_t total = mapped.value().bytes().size();
    std::size_t next_report = 64u << 20;
    parse.progress = [&](std::size_t done) {
      mapped.value().release_before(done);
      if (done >= next_report) {
        c.err << file << ": " << (done >> 20) << " of " << (total >> 20) << " MB parsed\n";
        next_report = done + (64u << 20);
      }
    };
    auto report = statements::import_statement_file(store, std::filesystem::path(file).filename().string(), mapped.value().bytes(),
                                                    parse, "cli:" + std::string(getenv("USER") ? getenv("USER") : "arcctl"));
    if (!report) {
      c.err << report.problem().to_string() << "\n";
      ++failures;
      continue;
    }
    if (c.format == Format::json) c.out << report.value().to_json() << "\n";
    else {
      c.out << report.value().to_string() << "\n";
      for (const auto& w : report.value().warnings) c.out << "  warning: " << w << "\n";
    }
  }
  return failures ? 1 : 0;
}

int cmd_statements_list(Context& c) {
  Page page;
  page.limit = c.option("limit") ? std::stoi(*c.option("limit")) : 1000;
  if (auto v = c.option("after")) page.after_id = std::stoll(*v);
  auto tx = c.migrated_store().begin();
  if (c.format == Format::json) {
    json::array items;
    for (const auto& s : tx->statements().list(page)) items.push_back(api::statement_json(s));
    c.out << json::serialize(items) << "\n";
    return 0;
  }
  Table t({"id", "format", "account", "currency", "bank_statement_id", "from_date", "to_date", "warnings"});
  for (const auto& s : tx->statements().list(page)) {
    t.add({s.id.value(), json::value(s.format), json::value(s.account), json::value(std::string(s.currency.code())),
           json::value(s.bank_statement_id), json::value(s.from_date ? s.from_date->to_string() : ""),
           json::value(s.to_date ? s.to_date->to_string() : ""), json::value(s.warnings.empty() ? "" : "yes")});
  }
  t.print(c.out, c.format);
  return 0;
}

// The file a statement came from (its file_sha256), byte for byte as received: to stdout or to
// --out FILE (written whole, then renamed).
int cmd_statements_raw(Context& c) {
  if (c.words.size() != 1) throw Error("CLI_USAGE", "statements raw needs one SHA256 (a statement's file_sha256)");
  const std::string& sha = c.words.front();
  auto tx = c.migrated_store().begin();
  const auto out = c.option("out");
  const std::string tmp = out ? *out + ".tmp" : std::string();
  std::ofstream file;
  if (out) {
    file.open(tmp, std::ios::binary | std::ios::trunc);
    if (!file) throw Error("RAW_FILE_WRITE", "cannot write " + tmp);
  }
  std::ostream& sink = out ? static_cast<std::ostream&>(file) : c.out;
  std::size_t bytes = 0;
  const bool found = tx->statements().read_raw_file(sha, [&](std::string_view piece) {
    sink.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    bytes += piece.size();
  });
  if (!found) {
    if (out) {
      file.close();
      std::filesystem::remove(tmp);
    }
    c.err << "RAW_FILE_NOT_FOUND: no stored file has SHA-256 " << sha << "\n";
    return 1;
  }
  if (out) {
    file.close();
    if (!file) throw Error("RAW_FILE_WRITE", "cannot write " + tmp);
    std::filesystem::rename(tmp, *out);
    c.err << bytes << " bytes written to " << *out << "\n";
  }
  return 0;
}

int cmd_entries_list(Context& c) {
  Page page;
  page.limit = c.option("limit") ? std::stoi(*c.option("limit")) : 1000;
  if (auto v = c.option("after")) page.after_id = std::stoll(*v);
  auto tx = c.migrated_store().begin();
  std::vector<StatementId> statements;
  if (auto v = c.option("statement")) {
    statements.emplace_back(std::stoll(*v));
  } else {
    for (Page p{0, 1000};;) {
      auto batch = tx->statements().list(p);
      if (batch.empty()) break;
      for (const auto& s : batch) statements.push_back(s.id);
      p.after_id = batch.back().id.value();
    }
  }
  std::vector<Entry> entries;
  for (auto id : statements) {
    auto list = tx->entries().list_by_statement(id, page);
    entries.insert(entries.end(), list.begin(), list.end());
  }
  if (c.format == Format::json) {
    json::array items;
    for (const auto& e : entries) items.push_back(api::entry_json(e));
    c.out << json::serialize(items) << "\n";
    return 0;
  }
  Table t({"id", "statement_id", "booking_date", "direction", "amount", "currency", "status", "payer_name", "remittance"});
  for (const auto& e : entries) {
    t.add({e.id.value(), e.statement_id.value(), json::value(e.booking_date ? e.booking_date->to_string() : ""),
           json::value(std::string(to_string(e.direction))), json::value(e.amount.to_string()),
           json::value(std::string(e.amount.currency().code())), json::value(std::string(to_string(e.status))),
           json::value(e.payer_name), json::value(e.remittance.substr(0, 60))});
  }
  t.print(c.out, c.format);
  return 0;
}

}  // namespace arcd::arcctl
