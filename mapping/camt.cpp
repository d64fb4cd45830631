#include "mapping/camt.hpp"

#include <pugixml.hpp>

#include <charconv>
#include <memory>
#include <thread>

#include "mapping/camt_entry.hpp"
#include "mapping/camt_entry_pool.hpp"
#include "mapping/camt_values.hpp"
#include "mapping/camt_xml.hpp"
#include "mapping/xml_pieces.hpp"

namespace arcd::mapping {
namespace {

using namespace camt_xml;

class CamtReader final : public XmlPieceHandler {
 public:
  // `encoding` is the file's, from camt_encoding(): pieces carry no XML declaration.
  CamtReader(std::string_view bytes, std::string_view origin, StatementSink& sink, const StatementParseOptions& options,
             TextEncoding encoding)
      : bytes_(bytes), origin_(origin), sink_(sink), options_(options), values_(origin, options), encoding_(encoding) {
    // One worker beside the scanning thread: scanning and reading take about equal time, and a
    // second worker measured no faster on two cores, only busier.
    const int workers = options.parse_workers >= 0 ? options.parse_workers : std::thread::hardware_concurrency() >= 2 ? 1 : 0;
    auto make_parser = [this] { return std::make_unique<CamtEntryParser>(bytes_, origin_, options_, encoding_); };
    if (workers > 0) {
      pool_ = std::make_unique<CamtEntryPool>(workers, make_parser);
    } else {
      parser_ = make_parser();
    }
  }

  ParseSummary summary;

  // After the scanner found the file broken: an entry before that point, still being read on
  // a worker, may hold the first problem in the file, which is the one to report.
  Result<bool> first_entry_problem() {
    if (!pool_ || entry_failed_) return true;
    return pool_->deliver(true, [this](ParsedNtry& n) { return emit(n); });
  }

  Result<bool> document(std::string_view ns, std::string_view message) override {
    // urn:iso:std:iso:20022:tech:xsd:camt.053.001.08
    constexpr std::string_view prefix = "urn:iso:std:iso:20022:tech:xsd:camt.05";
    if (!ns.starts_with(prefix) || ns.size() != prefix.size() + 8 || ns.substr(prefix.size() + 1, 5) != ".001.") {
      return Problem{"CAMT_NAMESPACE", std::string(origin_),
                     "namespace '" + std::string(ns) + "' is not an ISO 20022 camt.052/053/054 namespace"};
    }
    const char kind = ns[prefix.size()];
    const std::string expected = kind == '3' ? "BkToCstmrStmt" : kind == '2' ? "BkToCstmrAcctRpt" : "BkToCstmrDbtCdtNtfctn";
    if (kind != '2' && kind != '3' && kind != '4') {
      return Problem{"CAMT_NAMESPACE", std::string(origin_), "camt.05" + std::string(1, kind) + " is not a statement message"};
    }
    if (!message.starts_with(expected)) {
      return Problem{"CAMT_NAMESPACE", std::string(origin_),
                     "the message element is <" + std::string(message) + ">, expected <" + expected + "> for " + std::string(ns.substr(31))};
    }
    kind_ = kind == '3' ? "statement" : kind == '2' ? "report" : "notification";
    summary.format = std::string(ns.substr(31));  // "camt.053.001.08"
    return true;
  }

  Result<bool> group_header(const XmlPiece& p) override {
    values_.at(p.lines, p.start_offset, &no_record_, 0);
    bool reread = false;
    auto root = values_.load(doc_, buffer_, p.xml, {}, encoding_, reread);
    if (!root) return root.problem();
    if (reread) header_reread_ = true;
    message_id_ = text(child(root.value(), "MsgId"));
    return true;
  }

  Result<bool> record_begin(const XmlPiece& p) override {
    ++record_index_;
    entry_index_ = 0;
    values_.at(p.lines, p.start_offset, &no_record_, 0);
    bool reread = false;
    auto loaded = values_.load(doc_, buffer_, p.xml, p.truncated ? p.qname : std::string_view(), encoding_, reread);
    if (!loaded) return loaded.problem();
    const xml_node rec = loaded.value();
    auto record = std::make_shared<CamtRecordContext>();
    record->record_path = std::string(local_name(rec.name())) + "[" + std::to_string(record_index_) + "]";

    stmt_ = Statement{};
    stmt_.format = summary.format;
    stmt_.kind = kind_;
    stmt_.message_id = message_id_;
    stmt_.bank_statement_id = text(child(rec, "Id"));
    const xml_node acct = child(rec, "Acct");
    stmt_.account = account_id(acct);
    record->account = stmt_.account;
    record_ = std::move(record);
    values_.at(p.lines, p.start_offset, &record_->record_path, 0);
    if (reread || header_reread_) warn("text that is not UTF-8 read as Windows-1252");
    if (auto seq = text(child(rec, "ElctrncSeqNb")); !seq.empty()) {
      try {
        stmt_.sequence = std::stoll(seq);
      } catch (const std::exception&) {
        warn("ElctrncSeqNb '" + seq + "' is not a number");
      }
    }
    stmt_.created_at = parse_iso8601(text(child(rec, "CreDtTm")));
    stmt_.from_date = CamtValues::date_of(text(rec, {"FrToDt", "FrDtTm"}));
    stmt_.to_date = CamtValues::date_of(text(rec, {"FrToDt", "ToDtTm"}));
    stmt_.servicer_bic = bic(path(acct, {"Svcr", "FinInstnId"}));
    currency_known_ = false;
    if (auto c = values_.currency_of(text(child(acct, "Ccy")))) set_currency(*c);

    Result<bool> ok = true;
    each(rec, "Bal", [&](xml_node bal) {
      if (ok) ok = balance(bal);
    });
    if (!ok) return ok;
    if (!currency_known_ && !stmt_.balances.empty()) set_currency(stmt_.balances.front().amount.currency());
    credits_ = debits_ = 0;
    begun_ = false;
    return true;
  }

  Result<bool> entry(const XmlPiece& p) override {
    const CamtNtryPiece piece{p.xml, p.start_offset, p.end_offset, ++entry_index_, record_};
    if (!pool_) {
      parser_->parse(piece, parsed_);
      return emit(parsed_);
    }
    pool_->add(piece);
    return pool_->deliver(false, [this](ParsedNtry& n) { return emit(n); });
  }

  Result<bool> record_end() override {
    if (pool_) {
      auto ok = pool_->deliver(true, [this](ParsedNtry& n) { return emit(n); });
      if (!ok) return ok;
    }
    values_.set_entry_index(0);
    if (!currency_known_) {
      return Problem{"CAMT_NO_CURRENCY", values_.where(""), "the statement names no currency (set fallback_currency for this bank)"};
    }
    begin_if_needed();
    check_balances();
    sink_.end_statement(stmt_);
    ++summary.statements;
    return true;
  }

 private:
  void warn(const std::string& what) { add_warning(values_.where("") + ": " + what); }

  void add_warning(const std::string& w) {
    if (!stmt_.warnings.empty()) stmt_.warnings += "\n";
    stmt_.warnings += w;
    summary.warnings.push_back(w);
  }

  void set_currency(Currency c) {
    stmt_.currency = c;
    currency_known_ = true;
  }

  Result<bool> balance(xml_node bal) {
    Balance b;
    b.type = text(bal, {"Tp", "CdOrPrtry", "Cd"});
    if (b.type.empty()) b.type = text(bal, {"Tp", "CdOrPrtry", "Prtry"});
    auto dir = values_.indicator(child(bal, "CdtDbtInd"), "Bal/CdtDbtInd", false);
    if (!dir) return dir.problem();
    auto d = values_.date_choice(child(bal, "Dt"), "Bal/Dt");
    if (!d) return d.problem();
    b.date = d.value();
    auto m = values_.amount(child(bal, "Amt"), "Bal/Amt");
    if (!m) {
      // Balances inform; they move no money. A balance we cannot read exactly is reported and
      // left out rather than rounded (hbci4java's 13-decimal balance) or fatal.
      warn("balance " + b.type + " left out: " + m.problem().what);
      return true;
    }
    b.amount = dir.value() == Direction::debit ? -m.value() : m.value();
    stmt_.balances.push_back(b);
    return true;
  }

  void begin_if_needed() {
    if (begun_) return;
    begun_ = true;
    sink_.begin_statement(stmt_);
  }

  // An entry read (here or on a worker) goes out in file order: what depends on the entries
  // before it (positions, batch keys, the statement's sums) is settled here.
  Result<bool> emit(ParsedNtry& n) {
    if (n.problem) {
      entry_failed_ = true;
      return *n.problem;
    }
    if (!currency_known_) set_currency(n.entry_amount.currency());
    begin_if_needed();
    if (n.booked) (n.direction == Direction::credit ? credits_ : debits_) += n.entry_amount.minor();
    // A batch's details share the key of its first position; only batches need the text.
    char first_text[16];
    std::size_t first_size = 0;
    if (n.batch) first_size = static_cast<std::size_t>(std::to_chars(first_text, first_text + sizeof first_text, position_).ptr - first_text);
    const std::string_view first(first_text, first_size);
    for (std::size_t i = 0; i < n.count; ++i) {
      Entry& e = n.entries[i];
      if (n.batch) {
        // Written in place: the entry was made (and will be reused) by another thread, whose
        // memory this thread should neither free nor hand it.
        e.batch_key.assign(stmt_.account);
        e.batch_key += '|';
        e.batch_key += n.batch_ref;
        e.batch_key += '|';
        e.batch_key += first;
      }
      e.position = position_++;
      sink_.entry(e);
      ++summary.entries;
    }
    for (const auto& w : n.warnings) add_warning(w);
    if (options_.progress && n.end_offset >= next_progress_) {
      options_.progress(n.end_offset);
      next_progress_ = n.end_offset + (1u << 20);
    }
    return true;
  }

  // Opening (OPBD, else PRCD) + booked credits - booked debits must equal CLBD.
  void check_balances() {
    const Balance* opening = nullptr;
    const Balance* closing = nullptr;
    for (const auto& b : stmt_.balances) {
      if (b.type == "OPBD" || (b.type == "PRCD" && !opening)) opening = &b;
      if (b.type == "CLBD") closing = &b;
    }
    if (!opening || !closing || !(opening->amount.currency() == closing->amount.currency()) ||
        !(opening->amount.currency() == stmt_.currency)) {
      return;
    }
    const std::int64_t expected = opening->amount.minor() + credits_ - debits_;
    if (expected != closing->amount.minor()) {
      values_.set_entry_index(0);
      warn("BALANCE_MISMATCH " + opening->type + " " + opening->amount.to_string() + " + credits " +
           Money(credits_, stmt_.currency).to_string() + " - debits " + Money(debits_, stmt_.currency).to_string() + " = " +
           Money(expected, stmt_.currency).to_string() + " but CLBD is " + closing->amount.to_string());
    }
  }

  std::string_view bytes_;
  std::string_view origin_;
  StatementSink& sink_;
  const StatementParseOptions& options_;
  CamtValues values_;
  TextEncoding encoding_;
  bool header_reread_ = false;  // the group header held text that is not UTF-8
  pugi::xml_document doc_;  // the group header and statement headers
  std::string buffer_;
  std::unique_ptr<CamtEntryPool> pool_;       // entries read on workers...
  std::unique_ptr<CamtEntryParser> parser_;   // ...or here
  ParsedNtry parsed_;
  std::string kind_;
  std::string message_id_;
  const std::string no_record_;
  std::shared_ptr<const CamtRecordContext> record_;
  Statement stmt_;
  bool currency_known_ = false;
  bool begun_ = false;
  std::int64_t credits_ = 0, debits_ = 0;
  int record_index_ = 0;
  int entry_index_ = 0;
  int position_ = 0;
  std::size_t next_progress_ = 0;
  bool entry_failed_ = false;
};

// The file's encoding: the configured one where a source names one (for banks whose
// declaration is wrong), else the XML declaration's, else UTF-8 (with Windows-1252 for text a
// bank wrote in its code page all the same).
Result<TextEncoding> camt_encoding(std::string_view bytes, std::string_view origin, TextEncoding configured) {
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF") || bytes.starts_with(std::string_view("<\0?\0", 4)) ||
      bytes.starts_with(std::string_view("\0<\0?", 4))) {
    return Problem{"CAMT_ENCODING", std::string(origin) + ":1", "the file is UTF-16; arcd reads UTF-8, ISO-8859-1, ISO-8859-15 and Windows-1252"};
  }
  if (configured != TextEncoding::automatic) return configured;
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (!bytes.starts_with("<?xml")) return TextEncoding::automatic;
  const std::string_view decl = bytes.substr(0, bytes.find("?>"));
  const auto at = decl.find("encoding");
  if (at == std::string_view::npos) return TextEncoding::automatic;
  auto rest = decl.substr(at + 8);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '=' || rest.front() == '\t')) rest.remove_prefix(1);
  if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) {
    return Problem{"CAMT_ENCODING", std::string(origin) + ":1", "the XML declaration's encoding has no quoted name"};
  }
  const auto name = rest.substr(1, rest.find(rest.front(), 1) - 1);
  const auto named = text_encoding_named(name);
  if (!named || *named == TextEncoding::automatic) {
    return Problem{"CAMT_ENCODING", std::string(origin) + ":1",
                   "the XML declaration names encoding '" + std::string(name) +
                       "'; arcd reads UTF-8, ISO-8859-1, ISO-8859-15 and Windows-1252"};
  }
  // Declared UTF-8 is read as automatic: banks that declare it and write their code page exist.
  return *named == TextEncoding::utf8 ? TextEncoding::automatic : *named;
}

}  // namespace

Result<ParseSummary> parse_camt(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                const StatementParseOptions& options) {
  auto encoding = camt_encoding(bytes, origin, options.text_encoding);
  if (!encoding) return encoding.problem();
  CamtReader reader(bytes, origin, sink, options, encoding.value());
  auto r = split_camt(bytes, origin, options.max_depth, options.max_element_bytes, reader);
  if (!r) {
    if (auto earlier = reader.first_entry_problem(); !earlier) return earlier.problem();
    return r.problem();
  }
  if (reader.summary.format.empty()) return Problem{"CAMT_NAMESPACE", std::string(origin), "no camt message inside the Document"};
  if (reader.summary.statements == 0) {
    return Problem{"CAMT_NO_RECORDS", std::string(origin), "the message holds no statement, report or notification"};
  }
  return reader.summary;
}

}  // namespace arcd::mapping
