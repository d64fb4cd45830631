#include "mapping/mt940.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "mapping/entry_key.hpp"
#include "mapping/text_encoding.hpp"

namespace arcd::mapping {
namespace {

struct Tag {
  std::string name;   // "61", "60F", "86"
  std::string value;  // continuation lines joined with '\n'
  std::size_t line = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::strchr(" \t\r", s.front())) s.remove_prefix(1);
  while (!s.empty() && std::strchr(" \t\r", s.back())) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// ":61:" or ":60F:" at the start of a line.
std::optional<std::pair<std::string, std::size_t>> tag_at(std::string_view line) {
  if (line.size() < 4 || line[0] != ':' || !is_digit(line[1]) || !is_digit(line[2])) return std::nullopt;
  std::size_t i = 3;
  if (i < line.size() && is_upper(line[i])) ++i;
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  return std::pair{std::string(line.substr(1, i - 1)), i + 1};
}

// Messages: the tags between a :20: and the "-" that ends it.
struct Message {
  std::vector<Tag> tags;
  std::size_t line = 0;
};

std::vector<Message> messages(const std::string& text) {
  std::vector<Message> out;
  Message cur;
  bool open = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  auto close = [&] {
    if (open && !cur.tags.empty()) out.push_back(std::move(cur));
    cur = Message{};
    open = false;
  };
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view line = std::string_view(text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    std::string cleaned;
    for (char c : line)
      if (c != '\x01' && c != '\x03') cleaned += c;
    std::string_view l = trim(cleaned);
    // SWIFT block framing: "{1:...}{2:...}{4:" opens, "-}" closes.
    if (l.starts_with("{1:") || l.starts_with("{2:") || l.starts_with("{4:")) {
      auto b4 = l.find("{4:");
      if (b4 == std::string_view::npos) continue;
      l = trim(l.substr(b4 + 3));
      if (l.empty()) continue;
    }
    if (l == "-" || l == "-}" || l.starts_with("-}")) {
      close();
      continue;
    }
    if (auto t = tag_at(l)) {
      if (t->first == "20") {
        close();
        open = true;
        cur.line = line_no;
      }
      if (!open) continue;  // header lines before the first :20:
      cur.tags.push_back({t->first, std::string(l.substr(t->second)), line_no});
      continue;
    }
    if (open && !cur.tags.empty() && !l.empty()) {
      cur.tags.back().value += "\n";
      cur.tags.back().value += l;
    }
  }
  close();
  return out;
}

// Keeps the text after a SEPA keyword such as "EREF+" up to the next keyword.
std::string sepa_field(const std::string& purpose, const std::string& keyword) {
  static const char* keywords[] = {"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+", "IBAN+", "BIC+"};
  auto at = purpose.find(keyword);
  if (at == std::string::npos) return {};
  at += keyword.size();
  std::size_t end = purpose.size();
  for (const char* k : keywords) {
    auto next = purpose.find(k, at);
    if (next != std::string::npos && next < end) end = next;
  }
  return std::string(trim(purpose.substr(at, end - at)));
}

// German structured :86: "166?00SEPA-GUTSCHRIFT?20EREF+...?21SVWZ+RE 4711?32ACME GMBH".
bool read_german_86(const std::string& value, Entry& e) {
  const std::string v = [&] {
    std::string s;
    for (char c : value)
      if (c != '\n') s += c;
    return s;
  }();
  if (v.size() < 4 || !is_digit(v[0]) || !is_digit(v[1]) || !is_digit(v[2]) || v[3] != '?') return false;
  e.bank_transaction_code = e.bank_transaction_code + (e.bank_transaction_code.empty() ? "" : "/") + v.substr(0, 3);
  std::string purpose, name;
  std::size_t i = 3;
  while (i < v.size()) {
    if (v[i] != '?' || i + 2 >= v.size() || !is_digit(v[i + 1]) || !is_digit(v[i + 2])) {
      ++i;
      continue;
    }
    const int code = (v[i + 1] - '0') * 10 + (v[i + 2] - '0');
    std::size_t end = i + 3;
    while (end < v.size() && !(v[end] == '?' && end + 2 < v.size() && is_digit(v[end + 1]) && is_digit(v[end + 2]))) ++end;
    const std::string field = v.substr(i + 3, end - i - 3);
    if ((code >= 20 && code <= 29) || (code >= 60 && code <= 63)) purpose += field;
    else if (code == 31) e.payer_account = field;
    else if (code == 30) e.details.payer_bic = field;
    else if (code == 32 || code == 33) name += field;
    else if (code == 0) e.details.additional_transaction_info = field;
    i = end;
  }
  e.payer_name = name;
  if (auto eref = sepa_field(purpose, "EREF+"); !eref.empty()) e.end_to_end_id = eref;
  e.details.mandate_id = sepa_field(purpose, "MREF+");
  if (auto svwz = sepa_field(purpose, "SVWZ+"); !svwz.empty()) e.remittance = svwz;
  else e.remittance = purpose;
  if (auto debt = sepa_field(purpose, "ABWA+"); !debt.empty()) e.details.ultimate_debtor = debt;
  return true;
}

// Dutch and international "/TAG/value/TAG/value" :86:.
bool read_slash_86(const std::string& value, Entry& e) {
  std::string v;
  for (char c : value)
    if (c != '\n') v += c;
  static const char* tags[] = {"TRTP", "EREF", "REMI", "NAME", "IBAN", "BIC", "CSID", "MARF", "ORDP", "BENM", "CNTP", "PREF", "RTRN", "ADDR", "ID"};
  struct Hit { std::string tag; std::size_t at, value_at; };
  std::vector<Hit> hits;
  for (const char* t : tags) {
    const std::string marker = std::string("/") + t + "/";
    for (std::size_t at = v.find(marker); at != std::string::npos; at = v.find(marker, at + 1)) {
      hits.push_back({t, at, at + marker.size()});
    }
  }
  if (hits.empty()) return false;
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.at < b.at; });
  for (std::size_t k = 0; k < hits.size(); ++k) {
    const std::size_t end = k + 1 < hits.size() ? hits[k + 1].at : v.size();
    if (hits[k].value_at > end) continue;  // overlapping match
    std::string val(trim(std::string_view(v).substr(hits[k].value_at, end - hits[k].value_at)));
    while (!val.empty() && val.back() == '/') val.pop_back();
    const auto& t = hits[k].tag;
    if (t == "EREF") e.end_to_end_id = val;
    else if (t == "NAME") e.payer_name = val;
    else if (t == "IBAN") e.payer_account = val;
    else if (t == "BIC") e.details.payer_bic = val;
    else if (t == "RTRN") e.details.return_reason = val;
    else if (t == "REMI") {
      // "USTD//free text" or "STRD/CUR/RF18..." : keep the text, pick up a structured reference.
      if (val.starts_with("USTD//")) val = val.substr(6);
      else if (val.starts_with("STRD/CUR/")) {
        val = val.substr(9);
        e.structured_reference = val;
        e.details.creditor_references.push_back({"SCOR", "", val});
      }
      e.remittance = val;
    }
  }
  return true;
}

class Mt940Reader {
 public:
  Mt940Reader(std::string_view origin, StatementSink& sink, const StatementParseOptions& options)
      : origin_(origin), sink_(sink), options_(options) {}

  Result<ParseSummary> run(const std::string& text) {
    const auto msgs = messages(text);
    if (msgs.empty()) return Problem{"MT940_STRUCTURE", std::string(origin_) + ":1", "no :20: statement in the file"};
    summary_.format = "mt940";
    for (const auto& m : msgs) {
      for (const auto& t : m.tags)
        if (t.name == "34F" || t.name == "13D" || t.name == "13" || t.name == "90D" || t.name == "90C") summary_.format = "mt942";
    }
    for (const auto& m : msgs) {
      auto r = message(m);
      if (!r) return r.problem();
    }
    return summary_;
  }

 private:
  Problem field(std::size_t line, const std::string& what) const {
    return Problem{"MT940_FIELD", std::string(origin_) + ":" + std::to_string(line), what};
  }

  Result<Date> yymmdd(std::string_view s, std::size_t line, const char* what) const {
    if (s.size() < 6) return field(line, std::string(what) + " '" + std::string(s) + "' is not YYMMDD");
    const int yy = (s[0] - '0') * 10 + (s[1] - '0');
    auto d = Date::parse(std::to_string(yy < 70 ? 2000 + yy : 1900 + yy) + "-" + std::string(s.substr(2, 2)) + "-" + std::string(s.substr(4, 2)));
    if (!d) return field(line, std::string(what) + " '" + std::string(s.substr(0, 6)) + "' is not a date");
    return *d;
  }

  Result<Money> amount(std::string_view s, Currency c, std::size_t line) const {
    try {
      return Money::parse(s, c, DecimalFormat{',', '\0'});
    } catch (const Error& e) {
      return field(line, e.detail());
    }
  }

  // "C100722EUR0,00": mark, date, currency, amount.
  Result<Balance> balance(const Tag& t, const char* type) {
    const std::string_view v = trim(t.value);
    if (v.size() < 11 || (v[0] != 'C' && v[0] != 'D')) return field(t.line, ":" + t.name + ": '" + std::string(v) + "' is not a balance");
    auto d = yymmdd(v.substr(1), t.line, "balance date");
    if (!d) return d.problem();
    auto c = Currency::find(v.substr(7, 3));
    if (!c && !options_.fallback_currency.empty()) c = Currency::find(options_.fallback_currency);
    if (!c) return field(t.line, ":" + t.name + ": currency '" + std::string(v.substr(7, 3)) + "' is not ISO 4217");
    auto m = amount(v.substr(10), *c, t.line);
    if (!m) return m.problem();
    return Balance{type, v[0] == 'D' ? -m.value() : m.value(), d.value()};
  }

  Result<bool> message(const Message& m) {
    Statement s;
    s.format = summary_.format;
    s.kind = summary_.format == "mt942" ? "report" : "statement";
    std::string number;
    bool have_currency = false;
    const Balance* opening = nullptr;
    std::vector<Balance> balances;
    for (const auto& t : m.tags) {
      if (t.name == "20") s.message_id = std::string(trim(t.value));
      else if (t.name == "25") s.account = std::string(trim(t.value));
      else if (t.name == "28C" || t.name == "28") number = std::string(trim(t.value));
      else if (t.name == "60F" || t.name == "60M" || t.name == "62F" || t.name == "62M" || t.name == "64" || t.name == "65") {
        const char* type = t.name[1] == '0' ? "OPBD" : t.name[1] == '2' ? "CLBD" : t.name == "64" ? "CLAV" : "FWAV";
        auto b = balance(t, type);
        if (!b) return b.problem();
        balances.push_back(b.value());
        if (!have_currency) {
          s.currency = b.value().amount.currency();
          have_currency = true;
        }
      }
    }
    if (s.account.empty()) return Problem{"MT940_STRUCTURE", std::string(origin_) + ":" + std::to_string(m.line), "the statement has no :25: account"};
    if (!have_currency) {
      // MT942 carries no balances: take the currency from the account (IBAN+currency suffix) or config.
      if (auto c = s.account.size() > 3 ? Currency::find(std::string_view(s.account).substr(s.account.size() - 3)) : std::nullopt) {
        s.currency = *c;
      } else if (auto fc = Currency::find(options_.fallback_currency)) {
        s.currency = *fc;
      } else if (auto floor = find_floor_currency(m)) {
        s.currency = *floor;
      } else {
        return Problem{"MT940_STRUCTURE", std::string(origin_) + ":" + std::to_string(m.line),
                       "no balance or floor limit names the currency (set fallback_currency for this bank)"};
      }
    }
    s.bank_statement_id = s.message_id + (number.empty() ? "" : "/" + number);
    s.balances = balances;
    for (const auto& b : s.balances) {
      if (b.type == std::string("OPBD") && !opening) opening = &b;
      if (b.type == std::string("OPBD") && b.date) s.from_date = b.date;
      if (b.type == std::string("CLBD") && b.date) s.to_date = b.date;
    }
    sink_.begin_statement(s);

    std::int64_t credits = 0, debits = 0;
    for (std::size_t i = 0; i < m.tags.size(); ++i) {
      if (m.tags[i].name != "61") continue;
      Entry e;
      auto r = statement_line(m.tags[i], s, e);
      if (!r) return r.problem();
      // Information for this line: every :86: up to the next :61: (Rabobank sends one per line).
      std::string info;
      for (std::size_t k = i + 1; k < m.tags.size() && m.tags[k].name == "86"; ++k) {
        if (!info.empty()) info += "\n";
        info += m.tags[k].value;
      }
      if (!info.empty()) {
        if (!read_german_86(info, e) && !read_slash_86(info, e)) {
          std::string flat = info;
          e.remittance = flat;
        }
        if (e.remittance.empty()) e.remittance = info;
      }
      e.position = position_++;
      e.entry_key = make_entry_key(s.account, e);
      (e.direction == Direction::credit ? credits : debits) += e.amount.minor();
      sink_.entry(e);
      ++summary_.entries;
    }
    const Balance* closing = nullptr;
    for (const auto& b : s.balances)
      if (b.type == std::string("CLBD")) closing = &b;
    if (opening && closing && opening->amount.currency() == closing->amount.currency() && opening->amount.currency() == s.currency) {
      const std::int64_t expected = opening->amount.minor() + credits - debits;
      if (expected != closing->amount.minor()) {
        const std::string w = std::string(origin_) + ":" + std::to_string(m.line) + ": BALANCE_MISMATCH opening " +
                              opening->amount.to_string() + " + credits - debits = " + Money(expected, s.currency).to_string() +
                              " but closing is " + closing->amount.to_string();
        s.warnings = w;
        summary_.warnings.push_back(w);
      }
    }
    sink_.end_statement(s);
    ++summary_.statements;
    return true;
  }

  std::optional<Currency> find_floor_currency(const Message& m) const {
    for (const auto& t : m.tags) {
      if ((t.name == "34F" || t.name == "90D" || t.name == "90C") && t.value.size() >= 3) {
        std::string_view v = trim(t.value);
        while (!v.empty() && is_digit(v.front())) v.remove_prefix(1);  // 90D: count first
        if (auto c = Currency::find(v.substr(0, 3))) return c;
      }
    }
    return std::nullopt;
  }

  // :61:YYMMDD[MMDD](C|D|RC|RD)[funds]amount Ttype reference[//bank reference][\nsupplementary]
  Result<bool> statement_line(const Tag& t, const Statement& s, Entry& e) {
    const std::string first_line = t.value.substr(0, t.value.find('\n'));
    std::string_view v = trim(first_line);
    auto value_date = yymmdd(v, t.line, ":61: value date");
    if (!value_date) {
      // Sparkasse writes 30 February; the entry date (MMDD) that follows is a real one.
      if (v.size() >= 10 && is_digit(v[6]) && is_digit(v[9])) {
        auto entry = yymmdd(std::string(v.substr(0, 2)) + std::string(v.substr(6, 4)), t.line, ":61: entry date");
        if (entry) {
          value_date = entry.value();
          summary_.warnings.push_back(std::string(origin_) + ":" + std::to_string(t.line) + ": value date '" +
                                      std::string(v.substr(0, 6)) + "' does not exist; the entry date stands in");
        }
      }
      if (!value_date) return value_date.problem();
    }
    e.value_date = value_date.value();
    std::size_t i = 6;
    if (v.size() >= i + 4 && is_digit(v[i]) && is_digit(v[i + 1]) && is_digit(v[i + 2]) && is_digit(v[i + 3])) {
      const int month = (v[i] - '0') * 10 + (v[i + 1] - '0');
      std::chrono::year_month_day vd{value_date.value().days()};
      int year = static_cast<int>(vd.year());
      const int vmonth = static_cast<int>(static_cast<unsigned>(vd.month()));
      if (vmonth == 12 && month == 1) ++year;  // booked in the new year
      if (vmonth == 1 && month == 12) --year;
      auto booked = Date::parse(std::to_string(year) + "-" + std::string(v.substr(i, 2)) + "-" + std::string(v.substr(i + 2, 2)));
      // Some banks write impossible entry dates (Sparkasse's 02-30): the value date stands in.
      e.booking_date = booked ? booked : e.value_date;
      i += 4;
    } else {
      e.booking_date = e.value_date;
    }
    std::string mark;
    if (v.substr(i).starts_with("RC") || v.substr(i).starts_with("RD")) mark = std::string(v.substr(i, 2));
    else if (i < v.size() && (v[i] == 'C' || v[i] == 'D')) mark = std::string(1, v[i]);
    else return field(t.line, ":61: mark '" + std::string(v.substr(i, 2)) + "' is none of C, D, RC, RD");
    i += mark.size();
    if (i < v.size() && is_upper(v[i])) ++i;  // funds code: the third letter of the currency code
    const std::size_t amount_start = i;
    while (i < v.size() && (is_digit(v[i]) || v[i] == ',')) ++i;
    if (i == amount_start) return field(t.line, ":61: no amount after the mark");
    auto m = amount(v.substr(amount_start, i - amount_start), s.currency, t.line);
    if (!m) return m.problem();
    e.amount = e.entry_amount = m.value();
    e.direction = mark == "C" || mark == "RD" ? Direction::credit : Direction::debit;
    e.reversal = mark.size() == 2;
    if (i + 4 <= v.size()) {
      e.bank_transaction_code = std::string(v.substr(i, 4));
      i += 4;
    }
    std::string_view refs = v.substr(std::min(i, v.size()));
    const auto slashes = refs.find("//");
    const std::string customer_ref(trim(refs.substr(0, slashes)));
    if (customer_ref != "NONREF") e.end_to_end_id = customer_ref;
    if (slashes != std::string_view::npos) e.bank_reference = std::string(trim(refs.substr(slashes + 2)));
    if (const auto nl = t.value.find('\n'); nl != std::string::npos) e.details.additional_entry_info = t.value.substr(nl + 1);
    e.status = EntryStatus::booked;  // MT942 reports intraday bookings, not pending items
    return true;
  }

  std::string_view origin_;
  StatementSink& sink_;
  const StatementParseOptions& options_;
  ParseSummary summary_;
  int position_ = 0;
};

}  // namespace

Result<ParseSummary> parse_mt940(std::string_view bytes, std::string_view origin, StatementSink& sink,
                                 const StatementParseOptions& options) {
  if (options.text_encoding == TextEncoding::utf8) {
    std::string_view body = bytes.starts_with("\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
    if (auto bad = first_invalid_utf8(body)) {
      const std::string_view before = body.substr(0, *bad);
      const auto line = 1 + std::count(before.begin(), before.end(), '\n');
      const auto line_start = before.rfind('\n');
      const auto column = *bad - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
      return Problem{"TEXT_ENCODING", std::string(origin) + ":" + std::to_string(line),
                     "byte " + std::to_string(column) + " of the line is not UTF-8 (the source's text_encoding is utf-8)"};
    }
  }
  const std::string text = to_utf8(bytes, options.text_encoding);
  Mt940Reader reader(origin, sink, options);
  return reader.run(text);
}

}  // namespace arcd::mapping
