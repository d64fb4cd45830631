#include "mapping/camt.hpp"

#include <pugixml.hpp>

#include <array>
#include <cstring>

#include "mapping/entry_key.hpp"
#include "mapping/xml_pieces.hpp"

namespace arcd::mapping {
namespace {

using pugi::xml_node;

// The local part of a qualified name ("Amt", "camt:Amt"), without strlen: names are short.
const char* local_of(const char* qname) {
  const char* local = qname;
  for (const char* c = qname; *c; ++c) {
    if (*c == ':') local = c + 1;
  }
  return local;
}

std::string_view local_name(const char* qname) { return local_of(qname); }

// True when a NUL-terminated local name equals `name`; stops at the first difference.
bool same_name(const char* local, std::string_view name) {
  for (char ch : name) {
    if (*local != ch) return false;
    ++local;
  }
  return *local == '\0';
}

// The first child element with this local name (any namespace prefix).
xml_node child(xml_node n, std::string_view name) {
  for (xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && same_name(local_of(c.name()), name)) return c;
  }
  return {};
}

// The first child element of each of these names, found in one walk over the children:
// an entry's details have a dozen fields, and a walk per field was most of the parse.
template <std::size_t N>
std::array<xml_node, N> children(xml_node n, const std::array<std::string_view, N>& names) {
  std::array<xml_node, N> found{};
  for (xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const char* local = local_of(c.name());
    for (std::size_t i = 0; i < N; ++i) {
      if (!found[i] && same_name(local, names[i])) {
        found[i] = c;
        break;
      }
    }
  }
  return found;
}

xml_node path(xml_node n, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    if (!n) return {};
    n = child(n, name);
  }
  return n;
}

template <class F>
void each(xml_node n, std::string_view name, F f) {
  for (xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && same_name(local_of(c.name()), name)) f(c);
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// An element's text, trimmed, as a view into the parsed piece (valid until the next piece).
std::string_view text_view(xml_node n) {
  if (!n) return {};
  std::string_view v = n.text().get();
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  return v;
}

std::string text(xml_node n) { return std::string(text_view(n)); }

std::string text(xml_node n, std::initializer_list<std::string_view> names) { return text(path(n, names)); }

// A party's name: <Dbtr><Nm> up to v06, <Dbtr><Pty><Nm> from v07.
std::string party_name(xml_node party) {
  if (!party) return {};
  if (auto nm = child(party, "Nm")) return text(nm);
  return text(party, {"Pty", "Nm"});
}

std::string account_id(xml_node acct) {
  xml_node id = child(acct, "Id");
  for (auto form : {"IBAN", "BBAN", "UPIC"}) {
    if (auto v = child(id, form)) return text(v);
  }
  if (auto v = path(id, {"Othr", "Id"})) return text(v);
  return text(id, {"PrtryAcct", "Id"});
}

std::string bic(xml_node fin_instn_id) {
  if (auto v = child(fin_instn_id, "BICFI")) return text(v);
  return text(child(fin_instn_id, "BIC"));
}

class CamtReader final : public XmlPieceHandler {
 public:
  CamtReader(std::string_view bytes, std::string_view origin, StatementSink& sink, const StatementParseOptions& options)
      : origin_(origin), sink_(sink), options_(options) {
    // Pieces carry no XML declaration: take its encoding once for all of them.
    const auto decl = bytes.substr(0, std::min<std::size_t>(bytes.size(), 200));
    if (decl.find("ISO-8859-1") != std::string_view::npos || decl.find("iso-8859-1") != std::string_view::npos ||
        decl.find("ISO-8859-15") != std::string_view::npos || decl.find("latin1") != std::string_view::npos) {
      encoding_ = pugi::encoding_latin1;
    }
  }

  ParseSummary summary;

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
    auto root = load(p, false);
    if (!root) return root.problem();
    message_id_ = text(child(root.value(), "MsgId"));
    return true;
  }

  Result<bool> record_begin(const XmlPiece& p) override {
    ++record_index_;
    entry_index_ = 0;
    auto loaded = load(p, p.truncated);
    if (!loaded) return loaded.problem();
    const xml_node rec = loaded.value();
    record_path_ = std::string(local_name(rec.name())) + "[" + std::to_string(record_index_) + "]";
    piece_at_ = p.start_offset;
    lines_ = p.lines;

    stmt_ = Statement{};
    stmt_.format = summary.format;
    stmt_.kind = kind_;
    stmt_.message_id = message_id_;
    stmt_.bank_statement_id = text(child(rec, "Id"));
    if (auto seq = text(child(rec, "ElctrncSeqNb")); !seq.empty()) {
      try {
        stmt_.sequence = std::stoll(seq);
      } catch (const std::exception&) {
        warn("ElctrncSeqNb '" + seq + "' is not a number");
      }
    }
    stmt_.created_at = parse_iso8601(text(child(rec, "CreDtTm")));
    stmt_.from_date = date_of(text(rec, {"FrToDt", "FrDtTm"}));
    stmt_.to_date = date_of(text(rec, {"FrToDt", "ToDtTm"}));
    const xml_node acct = child(rec, "Acct");
    stmt_.account = account_id(acct);
    stmt_.servicer_bic = bic(path(acct, {"Svcr", "FinInstnId"}));
    currency_known_ = false;
    if (auto c = currency_of(text(child(acct, "Ccy")))) set_currency(*c);

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
    ++entry_index_;
    if (options_.progress && p.end_offset >= next_progress_) {
      options_.progress(p.end_offset);
      next_progress_ = p.end_offset + (1u << 20);
    }
    auto loaded = load(p, false);
    if (!loaded) return loaded.problem();
    piece_at_ = p.start_offset;
    lines_ = p.lines;
    return read_entry(loaded.value());
  }

  Result<bool> record_end() override {
    if (!currency_known_) {
      return Problem{"CAMT_NO_CURRENCY", where(""), "the statement names no currency (set fallback_currency for this bank)"};
    }
    begin_if_needed();
    check_balances();
    sink_.end_statement(stmt_);
    ++summary.statements;
    return true;
  }

 private:
  Result<xml_node> load(const XmlPiece& p, bool close) {
    buffer_.assign(p.xml);
    if (close) {
      buffer_ += "</";
      buffer_ += p.qname;
      buffer_ += '>';
    }
    // In place: the piece is already our own copy. Only escapes and CDATA matter to values;
    // end-of-line and attribute normalisation would be wasted work.
    const auto r = doc_.load_buffer_inplace(buffer_.data(), buffer_.size(), pugi::parse_escapes | pugi::parse_cdata, encoding_);
    if (!r) {
      const std::size_t line = p.line() + static_cast<std::size_t>(std::count(buffer_.data(), buffer_.data() + std::min<std::size_t>(static_cast<std::size_t>(std::max<std::ptrdiff_t>(r.offset, 0)), buffer_.size()), '\n'));
      return Problem{"XML_MALFORMED", std::string(origin_) + ":" + std::to_string(line), r.description()};
    }
    return doc_.document_element();
  }

  std::string where(const std::string& element) const {
    std::string w = std::string(origin_) + ":" + std::to_string(lines_ ? lines_->line_at(piece_at_) : 0) + " " + record_path_;
    if (entry_index_ > 0) w += "/Ntry[" + std::to_string(entry_index_) + "]";
    if (!element.empty()) w += "/" + element;
    return w;
  }

  void warn(const std::string& what) {
    const std::string w = where("") + ": " + what;
    if (!stmt_.warnings.empty()) stmt_.warnings += "\n";
    stmt_.warnings += w;
    summary.warnings.push_back(w);
  }

  void set_currency(Currency c) {
    stmt_.currency = c;
    currency_known_ = true;
  }

  std::optional<Currency> currency_of(const std::string& code) const {
    if (auto c = Currency::find(code)) return c;
    if (!options_.fallback_currency.empty()) return Currency::find(options_.fallback_currency);
    return std::nullopt;
  }

  // "2017-04-01", "2017-04-01+02:00", "2025-07-23T00:00:00.000000000": the calendar date as written.
  static std::optional<Date> date_of(const std::string& s) {
    if (s.size() < 10) return std::nullopt;
    return Date::parse(std::string_view(s).substr(0, 10));
  }

  Result<std::optional<Date>> date_choice(xml_node n, const std::string& element) {
    if (!n) return std::optional<Date>();
    const std::string s = text(child(n, "Dt")).empty() ? text(child(n, "DtTm")) : text(child(n, "Dt"));
    if (s.empty()) return std::optional<Date>();
    auto d = date_of(s);
    if (!d) return Problem{"CAMT_BAD_DATE", where(element), "'" + s + "' is not a date"};
    return d;
  }

  // <Amt Ccy="EUR">8.850</Amt>
  Result<Money> amount(xml_node amt, const std::string& element) {
    if (!amt) return Problem{"CAMT_NO_AMOUNT", where(element), "the amount is missing"};
    const std::string_view code = amt.attribute("Ccy").value();
    auto c = cached_currency(code);
    if (!c) return Problem{"CAMT_NO_CURRENCY", where(element), "'" + std::string(code) + "' is not a currency (set fallback_currency for this bank)"};
    const std::string_view value = text_view(amt);
    try {
      const Money m = Money::parse(value, *c);
      if (m.is_negative()) return Problem{"CAMT_BAD_AMOUNT", where(element), "'" + std::string(value) + "' is negative; the direction belongs in CdtDbtInd"};
      return m;
    } catch (const Error& e) {
      return Problem{"CAMT_BAD_AMOUNT", where(element), e.detail()};
    }
  }

  // Nearly every amount in a file has the same currency: remember the last one looked up.
  std::optional<Currency> cached_currency(std::string_view code) {
    if (last_currency_ && code == last_currency_code_) return last_currency_;
    auto c = currency_of(std::string(code));
    if (c && Currency::find(code)) {  // only real codes are remembered, not the fallback
      last_currency_code_ = std::string(code);
      last_currency_ = c;
    }
    return c;
  }

  std::optional<Money> optional_amount(xml_node amt) {
    if (!amt) return std::nullopt;
    auto r = amount(amt, "");
    if (!r) return std::nullopt;
    return r.value();
  }

  Result<Direction> indicator(xml_node n, const std::string& element, bool required) {
    const std::string_view v = text_view(n);
    if (v == "CRDT") return Direction::credit;
    if (v == "DBIT") return Direction::debit;
    if (v.empty() && !required) return Direction::credit;
    return Problem{"CAMT_BAD_INDICATOR", where(element), "CdtDbtInd '" + std::string(v) + "' is neither CRDT nor DBIT"};
  }

  Result<bool> balance(xml_node bal) {
    Balance b;
    b.type = text(bal, {"Tp", "CdOrPrtry", "Cd"});
    if (b.type.empty()) b.type = text(bal, {"Tp", "CdOrPrtry", "Prtry"});
    auto dir = indicator(child(bal, "CdtDbtInd"), "Bal/CdtDbtInd", false);
    if (!dir) return dir.problem();
    auto d = date_choice(child(bal, "Dt"), "Bal/Dt");
    if (!d) return d.problem();
    b.date = d.value();
    auto m = amount(child(bal, "Amt"), "Bal/Amt");
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

  Result<bool> read_entry(xml_node ntry) {
    enum { kAmt, kCdtDbtInd, kRvslInd, kSts, kBookgDt, kValDt, kAcctSvcrRef, kNtryRef, kAddtlNtryInf, kBkTxCd, kChrgs };
    const auto f = children<11>(ntry, {"Amt", "CdtDbtInd", "RvslInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef", "NtryRef",
                                       "AddtlNtryInf", "BkTxCd", "Chrgs"});
    Entry base;
    auto amt = amount(f[kAmt], "Amt");
    if (!amt) return amt.problem();
    auto dir = indicator(f[kCdtDbtInd], "CdtDbtInd", true);
    if (!dir) return dir.problem();
    if (!currency_known_) set_currency(amt.value().currency());
    base.amount = base.entry_amount = amt.value();
    base.direction = dir.value();
    base.reversal = text_view(f[kRvslInd]) == "true";
    const xml_node sts = f[kSts];
    std::string_view status = text_view(child(sts, "Cd"));
    if (status.empty()) status = text_view(child(sts, "Prtry"));
    if (status.empty()) status = text_view(sts);
    base.status = status == "PDNG" || status == "FUTR" ? EntryStatus::pending : status == "INFO" ? EntryStatus::info : EntryStatus::booked;
    auto booking = date_choice(f[kBookgDt], "BookgDt");
    if (!booking) return booking.problem();
    base.booking_date = booking.value();
    auto value = date_choice(f[kValDt], "ValDt");
    if (!value) return value.problem();
    base.value_date = value.value();
    base.bank_reference = text(f[kAcctSvcrRef]);
    base.details.entry_reference = text(f[kNtryRef]);
    base.details.additional_entry_info = text(f[kAddtlNtryInf]);
    const xml_node bktx = f[kBkTxCd];
    if (const xml_node domain = child(bktx, "Domn")) {
      const xml_node family = child(domain, "Fmly");
      base.bank_transaction_code = text(child(domain, "Cd"));
      base.bank_transaction_code += '/';
      base.bank_transaction_code += text_view(child(family, "Cd"));
      base.bank_transaction_code += '/';
      base.bank_transaction_code += text_view(child(family, "SubFmlyCd"));
    } else {
      base.bank_transaction_code = text(bktx, {"Prtry", "Cd"});
    }
    base.details.charges = charges(f[kChrgs]);

    // Transaction details: under NtryDtls (v02+) or directly under Ntry (v01).
    auto& txs = txs_;
    txs.clear();
    std::string batch_ref;
    auto collect = [&](xml_node holder) {
      for (xml_node c = holder.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        const char* local = local_of(c.name());
        if (same_name(local, "TxDtls")) txs.push_back(c);
        else if (batch_ref.empty() && same_name(local, "Btch")) batch_ref = text(child(c, "PmtInfId"));
      }
    };
    each(ntry, "NtryDtls", collect);
    collect(ntry);

    begin_if_needed();
    if (base.status == EntryStatus::booked) (base.direction == Direction::credit ? credits_ : debits_) += base.entry_amount.minor();
    if (txs.empty()) {
      emit(base);
      return true;
    }

    // Each detail needs its own amount in the account's currency to be split out; otherwise the
    // entry stays whole (with the first detail's references) so no cent is invented or lost.
    auto& amounts = tx_amounts_;
    amounts.clear();
    bool splittable = true;
    for (auto tx : txs) {
      std::optional<Money> m = optional_amount(child(tx, "Amt"));
      if (!m) m = optional_amount(path(tx, {"AmtDtls", "TxAmt", "Amt"}));
      if (m && !(m->currency() == base.amount.currency())) m.reset();
      if (!m && txs.size() > 1) splittable = false;
      amounts.push_back(m);
    }
    if (!splittable) {
      warn("batch of " + std::to_string(txs.size()) + " transactions without amounts in " +
           std::string(base.amount.currency().code()) + ": kept as one entry");
      txs.resize(1);
      amounts.assign(1, base.amount);
    }
    const bool batch = txs.size() > 1;
    std::int64_t detail_sum = 0;
    for (std::size_t i = 0; i < txs.size(); ++i) {
      Entry e = base;
      e.detail_index = static_cast<int>(i);
      e.detail_count = static_cast<int>(txs.size());
      if (batch) e.batch_key = stmt_.account + "|" + (base.bank_reference.empty() ? batch_ref : base.bank_reference) + "|" +
                               std::to_string(position_);
      auto r = read_detail(txs[i], e, batch);
      if (!r) return r;
      e.amount = amounts[i].value_or(base.amount);
      detail_sum += (e.direction == base.direction ? 1 : -1) * e.amount.minor();
      emit(e);
    }
    if (batch && detail_sum != base.entry_amount.minor()) {
      warn("the transaction details add up to " + Money(detail_sum, base.amount.currency()).to_string() + ", the entry is " +
           base.entry_amount.to_string());
    }
    return true;
  }

  Result<bool> read_detail(xml_node tx, Entry& e, bool batch) {
    enum { kRefs, kRltdPties, kRltdAgts, kRmtInf, kAmtDtls, kChrgs, kRtrInf, kAddtlTxInf, kCdtDbtInd };
    const auto f = children<9>(tx, {"Refs", "RltdPties", "RltdAgts", "RmtInf", "AmtDtls", "Chrgs", "RtrInf", "AddtlTxInf", "CdtDbtInd"});
    if (batch && f[kCdtDbtInd]) {
      auto dir = indicator(f[kCdtDbtInd], "NtryDtls/TxDtls/CdtDbtInd", false);
      if (dir) e.direction = dir.value();
    }
    auto& d = e.details;
    {
      enum { kMsgId, kAcctSvcrRef, kPmtInfId, kInstrId, kEndToEndId, kTxId, kMndtId, kUETR };
      const auto r = children<8>(f[kRefs], {"MsgId", "AcctSvcrRef", "PmtInfId", "InstrId", "EndToEndId", "TxId", "MndtId", "UETR"});
      d.message_id = text(r[kMsgId]);
      if (batch && r[kAcctSvcrRef]) d.transaction_id = text(r[kAcctSvcrRef]);
      d.payment_information_id = text(r[kPmtInfId]);
      d.instruction_id = text(r[kInstrId]);
      e.end_to_end_id = text(r[kEndToEndId]);
      if (auto id = text_view(r[kTxId]); !id.empty()) d.transaction_id = std::string(id);
      d.mandate_id = text(r[kMndtId]);
      d.uetr = text(r[kUETR]);
    }
    {
      enum { kDbtr, kDbtrAcct, kUltmtDbtr, kCdtr, kCdtrAcct };
      const auto p = children<5>(f[kRltdPties], {"Dbtr", "DbtrAcct", "UltmtDbtr", "Cdtr", "CdtrAcct"});
      d.ultimate_debtor = party_name(p[kUltmtDbtr]);
      d.creditor_name = party_name(p[kCdtr]);
      d.creditor_account = account_id(p[kCdtrAcct]);
      // The counterparty: who paid us on a credit, whom we paid on a debit.
      if (e.direction == Direction::credit) {
        e.payer_name = party_name(p[kDbtr]);
        e.payer_account = account_id(p[kDbtrAcct]);
        d.payer_bic = bic(path(f[kRltdAgts], {"DbtrAgt", "FinInstnId"}));
      } else {
        e.payer_name = d.creditor_name;
        e.payer_account = d.creditor_account;
        d.payer_bic = bic(path(f[kRltdAgts], {"CdtrAgt", "FinInstnId"}));
      }
    }

    const xml_node rmt = f[kRmtInf];
    e.remittance.clear();
    each(rmt, "Ustrd", [&](xml_node u) {
      if (!e.remittance.empty()) e.remittance += '\n';
      e.remittance += text_view(u);
    });
    each(rmt, "Strd", [&](xml_node strd) {
      each(strd, "CdtrRefInf", [&](xml_node cri) {
        CreditorReference r;
        const xml_node tp = child(cri, "Tp");
        const xml_node code = child(tp, "CdOrPrtry");
        r.type = text(child(code, "Cd"));
        if (r.type.empty()) r.type = text(child(code, "Prtry"));
        r.issuer = text(child(tp, "Issr"));
        r.reference = text(child(cri, "Ref"));
        if (!r.reference.empty()) d.creditor_references.push_back(std::move(r));
      });
      // Referred documents and their amounts come in order; pair them up.
      std::vector<ReferredDocument> docs;
      each(strd, "RfrdDocInf", [&](xml_node rdi) { docs.push_back({text(child(rdi, "Nb")), std::nullopt}); });
      std::size_t k = 0;
      each(strd, "RfrdDocAmt", [&](xml_node rda) {
        auto m = optional_amount(child(rda, "RmtdAmt"));
        if (!m) m = optional_amount(child(rda, "DuePyblAmt"));
        if (k < docs.size()) docs[k].amount = m;
        ++k;
      });
      for (auto& doc : docs) d.referred_documents.push_back(std::move(doc));
      each(strd, "AddtlRmtInf", [&](xml_node a) {
        if (!e.remittance.empty()) e.remittance += '\n';
        e.remittance += text_view(a);
      });
    });
    if (!d.creditor_references.empty()) e.structured_reference = d.creditor_references.front().reference;

    if (const xml_node amt_dtls = f[kAmtDtls]) {
      enum { kInstdAmt, kTxAmt, kCntrValAmt };
      const auto a = children<3>(amt_dtls, {"InstdAmt", "TxAmt", "CntrValAmt"});
      d.instructed_amount = optional_amount(child(a[kInstdAmt], "Amt"));
      d.transaction_amount = optional_amount(child(a[kTxAmt], "Amt"));
      for (const xml_node which : a) {
        const xml_node x = child(which, "CcyXchg");
        if (x && d.exchange_rate.empty()) {
          d.exchange_rate = text(child(x, "XchgRate"));
          d.source_currency = text(child(x, "SrcCcy"));
          d.target_currency = text(child(x, "TrgtCcy"));
        }
      }
    }
    if (auto c = charges(f[kChrgs])) d.charges = c;
    if (const xml_node rtr = f[kRtrInf]) {
      d.return_reason = text(rtr, {"Rsn", "Cd"});
      if (d.return_reason.empty()) d.return_reason = text(rtr, {"Rsn", "Prtry"});
    }
    d.additional_transaction_info = text(f[kAddtlTxInf]);
    return true;
  }

  // v02: repeated ChargesInformation with Amt; v04+: TtlChrgsAndTaxAmt or Rcrd/Amt.
  std::optional<Money> charges(xml_node chrgs) {
    if (!chrgs) return std::nullopt;
    if (auto total = optional_amount(child(chrgs, "TtlChrgsAndTaxAmt"))) return total;
    std::optional<Money> sum;
    auto add = [&](xml_node holder) {
      if (auto m = optional_amount(child(holder, "Amt"))) {
        if (!sum) sum = *m;
        else if (sum->currency() == m->currency()) *sum += *m;
      }
    };
    each(chrgs, "Rcrd", add);
    if (!sum) add(chrgs);
    return sum;
  }

  void emit(Entry& e) {
    e.position = position_++;
    e.entry_key = make_entry_key(stmt_.account, e);
    sink_.entry(e);
    ++summary.entries;
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
      entry_index_ = 0;
      warn("BALANCE_MISMATCH " + opening->type + " " + opening->amount.to_string() + " + credits " +
           Money(credits_, stmt_.currency).to_string() + " - debits " + Money(debits_, stmt_.currency).to_string() + " = " +
           Money(expected, stmt_.currency).to_string() + " but CLBD is " + closing->amount.to_string());
    }
  }

  std::string_view origin_;
  StatementSink& sink_;
  const StatementParseOptions& options_;
  pugi::xml_encoding encoding_ = pugi::encoding_utf8;
  pugi::xml_document doc_;
  std::string buffer_;
  std::string kind_;
  std::string message_id_;
  Statement stmt_;
  bool currency_known_ = false;
  bool begun_ = false;
  std::int64_t credits_ = 0, debits_ = 0;
  int record_index_ = 0;
  int entry_index_ = 0;
  int position_ = 0;
  // Where the piece being read starts; its line is counted only for a message.
  std::size_t piece_at_ = 0;
  LineCounter* lines_ = nullptr;
  std::size_t next_progress_ = 0;
  std::string record_path_;
  std::string last_currency_code_;
  std::optional<Currency> last_currency_;
  std::vector<xml_node> txs_;                     // reused from entry to entry
  std::vector<std::optional<Money>> tx_amounts_;
};

}  // namespace

Result<ParseSummary> parse_camt(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                const StatementParseOptions& options) {
  CamtReader reader(bytes, origin, sink, options);
  auto r = split_camt(bytes, origin, options.max_depth, options.max_element_bytes, reader);
  if (!r) return r.problem();
  if (reader.summary.format.empty()) return Problem{"CAMT_NAMESPACE", std::string(origin), "no camt message inside the Document"};
  if (reader.summary.statements == 0) {
    return Problem{"CAMT_NO_RECORDS", std::string(origin), "the message holds no statement, report or notification"};
  }
  return reader.summary;
}

}  // namespace arcd::mapping
