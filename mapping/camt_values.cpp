#include "mapping/camt_values.hpp"

#include <algorithm>

#include "mapping/camt_xml.hpp"

namespace arcd::mapping {

using namespace camt_xml;

std::string CamtValues::where(const std::string& element) const {
  std::string w = std::string(origin_) + ":" + std::to_string(lines_ ? lines_->line_at(piece_at_) : 0) + " " +
                  (record_path_ ? *record_path_ : std::string());
  if (entry_index_ > 0) w += "/Ntry[" + std::to_string(entry_index_) + "]";
  if (!element.empty()) w += "/" + element;
  return w;
}

std::optional<Date> CamtValues::date_of(const std::string& s) {
  if (s.size() < 10) return std::nullopt;
  return Date::parse(std::string_view(s).substr(0, 10));
}

Result<std::optional<Date>> CamtValues::date_choice(xml_node n, const std::string& element) const {
  if (!n) return std::optional<Date>();
  const std::string s = text(child(n, "Dt")).empty() ? text(child(n, "DtTm")) : text(child(n, "Dt"));
  if (s.empty()) return std::optional<Date>();
  auto d = date_of(s);
  if (!d) return Problem{"CAMT_BAD_DATE", where(element), "'" + s + "' is not a date"};
  return d;
}

Result<Money> CamtValues::amount(xml_node amt, const std::string& element) {
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
std::optional<Currency> CamtValues::cached_currency(std::string_view code) {
  if (last_currency_ && code == last_currency_code_) return last_currency_;
  auto c = currency_of(std::string(code));
  if (c && Currency::find(code)) {  // only real codes are remembered, not the fallback
    last_currency_code_ = std::string(code);
    last_currency_ = c;
  }
  return c;
}

std::optional<Currency> CamtValues::currency_of(const std::string& code) const {
  if (auto c = Currency::find(code)) return c;
  if (!options_.fallback_currency.empty()) return Currency::find(options_.fallback_currency);
  return std::nullopt;
}

std::optional<Money> CamtValues::optional_amount(xml_node amt) {
  if (!amt) return std::nullopt;
  auto r = amount(amt, "");
  if (!r) return std::nullopt;
  return r.value();
}

Result<Direction> CamtValues::indicator(xml_node n, const std::string& element, bool required) const {
  const std::string_view v = text_view(n);
  if (v == "CRDT") return Direction::credit;
  if (v == "DBIT") return Direction::debit;
  if (v.empty() && !required) return Direction::credit;
  return Problem{"CAMT_BAD_INDICATOR", where(element), "CdtDbtInd '" + std::string(v) + "' is neither CRDT nor DBIT"};
}

std::optional<Money> CamtValues::charges(xml_node chrgs) {
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

Result<xml_node> CamtValues::load(pugi::xml_document& doc, std::string& buffer, std::string_view xml, std::string_view close_qname,
                                  TextEncoding encoding, bool& reread) const {
  auto line_of = [&](std::string_view text, std::size_t upto) {
    const std::size_t start_line = lines_ ? lines_->line_at(piece_at_) : 0;
    return start_line + static_cast<std::size_t>(std::count(text.data(), text.data() + std::min(upto, text.size()), '\n'));
  };
  reread = false;
  if (encoding == TextEncoding::automatic || encoding == TextEncoding::utf8) {
    if (const auto bad = first_invalid_utf8(xml)) {
      if (encoding == TextEncoding::utf8) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        const auto byte = static_cast<unsigned char>(xml[*bad]);
        return Problem{"TEXT_ENCODING", std::string(origin_) + ":" + std::to_string(line_of(xml, *bad)),
                       std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 15] + " is not UTF-8 (the source's text_encoding is utf-8)"};
      }
      reread = true;  // a bank that declares UTF-8 and writes its code page
      encoding = TextEncoding::windows_1252;
    }
  }
  if (encoding == TextEncoding::automatic || encoding == TextEncoding::utf8) {
    buffer.assign(xml);
  } else {
    buffer.clear();
    append_single_byte_as_utf8(xml, encoding, buffer);
  }
  if (!close_qname.empty()) {
    buffer += "</";
    buffer += close_qname;
    buffer += '>';
  }
  // In place: the piece is already our own copy. Only escapes and CDATA matter to values;
  // end-of-line and attribute normalisation would be wasted work.
  const auto r = doc.load_buffer_inplace(buffer.data(), buffer.size(), pugi::parse_escapes | pugi::parse_cdata, pugi::encoding_utf8);
  if (!r) {
    const auto upto = static_cast<std::size_t>(std::max<std::ptrdiff_t>(r.offset, 0));
    return Problem{"XML_MALFORMED", std::string(origin_) + ":" + std::to_string(line_of(buffer, upto)), r.description()};
  }
  return doc.document_element();
}

}  // namespace arcd::mapping
