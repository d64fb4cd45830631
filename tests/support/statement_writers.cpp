#include "statement_writers.hpp"

#include <sstream>

namespace arcd::test {
namespace {

const char* kNames[] = {"Acme Trading GmbH", "Müller & Söhne KG", "O'Brien \"Logistics\" Ltd", "Café <Lumière> SARL",
                        "Nordwind AS", "Zhang Industries", "Kestrel BV", "Ålesund Fisk AS"};

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string iban(std::mt19937_64& rng) {
  // A syntactically plausible DE IBAN; check digits are not what these tests are about.
  std::string s = "DE";
  for (int i = 0; i < 20; ++i) s += static_cast<char>('0' + rng() % 10);
  return s;
}

std::string rf(std::mt19937_64& rng) {
  std::string base;
  for (int i = 0; i < 10; ++i) base += static_cast<char>('0' + rng() % 10);
  // ISO 11649 check digits over base + "RF00".
  const std::string digits = base + "271500";
  int rem = 0;
  for (char c : digits) rem = (rem * 10 + (c - '0')) % 97;
  const int check = 98 - rem;
  return std::string("RF") + (check < 10 ? "0" : "") + std::to_string(check) + base;
}

std::string yymmdd(Date d) {
  const std::string s = d.to_string();
  return s.substr(2, 2) + s.substr(5, 2) + s.substr(8, 2);
}

std::string comma_amount(const Money& m) {
  std::string s = m.to_string();
  for (auto& c : s)
    if (c == '.') c = ',';
  if (!s.empty() && s[0] == '-') s = s.substr(1);
  return s;
}

}  // namespace

GeneratedStatement random_statement(std::mt19937_64& rng, int entries, int max_details, Currency currency) {
  GeneratedStatement g;
  auto& s = g.statement;
  s.account = iban(rng);
  s.currency = currency;
  s.bank_statement_id = "STMT-" + std::to_string(rng() % 1000000);
  const Date day(2026, 1 + static_cast<unsigned>(rng() % 12), 1 + static_cast<unsigned>(rng() % 28));
  s.from_date = s.to_date = day;
  g.opening = Money(static_cast<std::int64_t>(rng() % 100000000) - 20000000, currency);
  Money balance = g.opening;
  for (int i = 0; i < entries; ++i) {
    GeneratedEntry ge;
    Entry& e = ge.entry;
    e.direction = rng() % 4 == 0 ? Direction::debit : Direction::credit;
    e.booking_date = day;
    e.value_date = day.plus_days(static_cast<int>(rng() % 3));
    e.bank_reference = "BR" + std::to_string(i) + "X" + std::to_string(rng() % 100000);
    e.bank_transaction_code = "PMNT/RCDT/ESCT";
    const int n = 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(max_details));
    Money total = Money::zero(currency);
    for (int k = 0; k < n; ++k) {
      Entry d;
      d.direction = e.direction;
      d.amount = Money(1 + static_cast<std::int64_t>(rng() % 5000000), currency);
      d.payer_name = kNames[rng() % std::size(kNames)];
      d.payer_account = iban(rng);
      d.end_to_end_id = "E2E-" + std::to_string(i) + "-" + std::to_string(k);
      if (rng() % 2) {
        d.structured_reference = rf(rng);
      } else {
        d.remittance = "INV-" + std::to_string(100000 + rng() % 900000) + " & INV-" + std::to_string(rng() % 1000) + " <Q" +
                       std::to_string(1 + rng() % 4) + ">";
      }
      total += d.amount;
      ge.details.push_back(d);
    }
    e.amount = e.entry_amount = total;
    balance += e.direction == Direction::credit ? total : -total;
    g.entries.push_back(ge);
  }
  g.closing = balance;
  return g;
}

void write_camt053(std::ostream& out, const GeneratedStatement& g) {
  const auto& s = g.statement;
  const std::string ccy(s.currency.code());
  auto bal = [&](const char* type, const Money& m) {
    out << "      <Bal>\n        <Tp><CdOrPrtry><Cd>" << type << "</Cd></CdOrPrtry></Tp>\n        <Amt Ccy=\"" << ccy << "\">"
        << (m.is_negative() ? (-m).to_string() : m.to_string()) << "</Amt>\n        <CdtDbtInd>" << (m.is_negative() ? "DBIT" : "CRDT")
        << "</CdtDbtInd>\n        <Dt><Dt>" << s.to_date->to_string() << "</Dt></Dt>\n      </Bal>\n";
  };
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n"
      << "  <BkToCstmrStmt>\n    <GrpHdr><MsgId>MSG-" << s.bank_statement_id << "</MsgId><CreDtTm>" << s.to_date->to_string()
      << "T18:00:00Z</CreDtTm></GrpHdr>\n    <Stmt>\n      <Id>" << s.bank_statement_id << "</Id>\n      <Acct><Id><IBAN>"
      << s.account << "</IBAN></Id><Ccy>" << ccy << "</Ccy></Acct>\n";
  bal("OPBD", g.opening);
  bal("CLBD", g.closing);
  for (const auto& ge : g.entries) {
    const auto& e = ge.entry;
    const char* ind = e.direction == Direction::credit ? "CRDT" : "DBIT";
    out << "      <Ntry>\n        <Amt Ccy=\"" << ccy << "\">" << e.amount.to_string() << "</Amt>\n        <CdtDbtInd>" << ind
        << "</CdtDbtInd>\n        <Sts><Cd>BOOK</Cd></Sts>\n        <BookgDt><Dt>" << e.booking_date->to_string()
        << "</Dt></BookgDt>\n        <ValDt><Dt>" << e.value_date->to_string() << "</Dt></ValDt>\n        <AcctSvcrRef>"
        << e.bank_reference << "</AcctSvcrRef>\n        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
        << "        <NtryDtls>\n";
    for (const auto& d : ge.details) {
      out << "          <TxDtls>\n            <Refs><EndToEndId>" << d.end_to_end_id << "</EndToEndId></Refs>\n"
          << "            <Amt Ccy=\"" << ccy << "\">" << d.amount.to_string() << "</Amt>\n            <CdtDbtInd>" << ind
          << "</CdtDbtInd>\n            <RltdPties>\n";
      const char* party = e.direction == Direction::credit ? "Dbtr" : "Cdtr";
      out << "              <" << party << "><Pty><Nm>" << xml_escape(d.payer_name) << "</Nm></Pty></" << party << ">\n"
          << "              <" << party << "Acct><Id><IBAN>" << d.payer_account << "</IBAN></Id></" << party << "Acct>\n"
          << "            </RltdPties>\n            <RmtInf>\n";
      if (!d.structured_reference.empty()) {
        out << "              <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>"
            << d.structured_reference << "</Ref></CdtrRefInf></Strd>\n";
      } else {
        out << "              <Ustrd>" << xml_escape(d.remittance) << "</Ustrd>\n";
      }
      out << "            </RmtInf>\n          </TxDtls>\n";
    }
    out << "        </NtryDtls>\n      </Ntry>\n";
  }
  out << "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n";
}

void write_bai2(std::ostream& out, const GeneratedStatement& g) {
  const auto& s = g.statement;
  std::int64_t account_total = g.opening.minor() + g.closing.minor();
  std::int64_t account_records = 2;  // 03 and 49
  std::ostringstream body;
  for (const auto& ge : g.entries) {
    for (const auto& d : ge.details) {
      const std::string text = d.structured_reference.empty() ? d.remittance : d.structured_reference;
      const std::string line = "16," + std::string(ge.entry.direction == Direction::credit ? "195" : "495") + "," +
                               std::to_string(d.amount.minor()) + ",Z," + ge.entry.bank_reference + "," + d.end_to_end_id + "," +
                               d.payer_name + " " + text;
      // 80-character physical records: the text continues in 88s, split at a blank (which the
      // reader puts back as the separator between the pieces).
      std::string rest = line;
      bool first = true;
      while (!rest.empty()) {
        const std::size_t limit = first ? 80 : 77;
        std::size_t cut = rest.size();
        if (rest.size() > limit) {
          cut = rest.rfind(' ', limit);
          if (cut == std::string::npos || cut < 40) cut = limit;  // no blank: split the word
        }
        body << (first ? "" : "88,") << rest.substr(0, cut) << "\n";
        ++account_records;
        rest = cut < rest.size() && rest[cut] == ' ' ? rest.substr(cut + 1) : rest.substr(cut);
        first = false;
      }
      account_total += d.amount.minor();
    }
  }
  const std::string date = yymmdd(*s.to_date);
  out << "01,SENDER,RECEIVER," << date << ",1800," << s.bank_statement_id.substr(5) << ",80,,2/\n"
      << "02,RECEIVER,BANKID,1," << date << ",2400," << s.currency.code() << ",2/\n"
      << "03," << s.account << "," << s.currency.code() << ",010," << g.opening.minor() << ",,,015," << g.closing.minor() << ",,/\n"
      << body.str() << "49," << account_total << "," << account_records << "/\n"
      << "98," << account_total << ",1," << account_records + 2 << "/\n"
      << "99," << account_total << ",1," << account_records + 4 << "/\n";
}

void write_mt940(std::ostream& out, const GeneratedStatement& g) {
  const auto& s = g.statement;
  const std::string ccy(s.currency.code());
  auto bal = [&](const char* tag, const Money& m) {
    out << ":" << tag << ":" << (m.is_negative() ? "D" : "C") << yymmdd(*s.to_date) << ccy << comma_amount(m) << "\n";
  };
  out << ":20:" << s.bank_statement_id << "\n:25:" << s.account << "\n:28C:1/1\n";
  bal("60F", g.opening);
  for (const auto& ge : g.entries) {
    for (const auto& d : ge.details) {
      out << ":61:" << yymmdd(*ge.entry.value_date) << yymmdd(*ge.entry.booking_date).substr(2)
          << (ge.entry.direction == Direction::credit ? "C" : "D") << comma_amount(d.amount) << "NTRF" << d.end_to_end_id << "//"
          << ge.entry.bank_reference << "\n";
      out << ":86:/EREF/" << d.end_to_end_id << "/NAME/" << d.payer_name << "/IBAN/" << d.payer_account << "/REMI/"
          << (d.structured_reference.empty() ? "USTD//" + d.remittance : "STRD/CUR/" + d.structured_reference) << "\n";
    }
  }
  bal("62F", g.closing);
  out << "-\n";
}

}  // namespace arcd::test
