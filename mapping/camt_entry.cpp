#include "mapping/camt_entry.hpp"

#include "mapping/camt_xml.hpp"
#include "mapping/entry_key.hpp"

namespace arcd::mapping {

using namespace camt_xml;

CamtEntryParser::CamtEntryParser(std::string_view document, std::string_view origin, const StatementParseOptions& options,
                                 TextEncoding encoding)
    : lines_(document), values_(origin, options), encoding_(encoding) {}

void CamtEntryParser::parse(const CamtNtryPiece& piece, ParsedNtry& out) {
  out.count = 0;
  out.batch = false;
  out.batch_ref.clear();
  out.booked = false;
  out.warnings.clear();
  out.problem.reset();
  out.end_offset = piece.end_offset;
  values_.at(&lines_, piece.start_offset, &piece.record->record_path, piece.entry_index);
  try {
    bool reread = false;
    auto loaded = values_.load(doc_, buffer_, piece.xml, {}, encoding_, reread);
    if (!loaded) {
      out.problem = loaded.problem();
      return;
    }
    if (reread) warn(out, "text that is not UTF-8 read as Windows-1252");
    auto r = read_entry(loaded.value(), *piece.record, out);
    if (!r) out.problem = r.problem();
  } catch (const std::exception& e) {
    // Nothing below throws by design; should it, the entry is refused rather than lost.
    out.problem = Problem{"CAMT_INTERNAL", values_.where(""), e.what()};
  }
}

Result<bool> CamtEntryParser::read_entry(xml_node ntry, const CamtRecordContext& record, ParsedNtry& out) {
  enum { kAmt, kCdtDbtInd, kRvslInd, kSts, kBookgDt, kValDt, kAcctSvcrRef, kNtryRef, kAddtlNtryInf, kBkTxCd, kChrgs };
  const auto f = children<11>(ntry, {"Amt", "CdtDbtInd", "RvslInd", "Sts", "BookgDt", "ValDt", "AcctSvcrRef", "NtryRef",
                                     "AddtlNtryInf", "BkTxCd", "Chrgs"});
  // Entries are filled in place, over the ones the last entry left: their strings keep their
  // buffers, so reading an entry allocates next to nothing.
  Entry& base = base_;
  base = blank_;
  auto amt = values_.amount(f[kAmt], "Amt");
  if (!amt) return amt.problem();
  auto dir = values_.indicator(f[kCdtDbtInd], "CdtDbtInd", true);
  if (!dir) return dir.problem();
  base.amount = base.entry_amount = amt.value();
  base.direction = dir.value();
  base.reversal = text_view(f[kRvslInd]) == "true";
  const xml_node sts = f[kSts];
  std::string_view status = text_view(child(sts, "Cd"));
  if (status.empty()) status = text_view(child(sts, "Prtry"));
  if (status.empty()) status = text_view(sts);
  base.status = status == "PDNG" || status == "FUTR" ? EntryStatus::pending : status == "INFO" ? EntryStatus::info : EntryStatus::booked;
  auto booking = values_.date_choice(f[kBookgDt], "BookgDt");
  if (!booking) return booking.problem();
  base.booking_date = booking.value();
  auto value = values_.date_choice(f[kValDt], "ValDt");
  if (!value) return value.problem();
  base.value_date = value.value();
  base.bank_reference.assign(text_view(f[kAcctSvcrRef]));
  base.details.entry_reference.assign(text_view(f[kNtryRef]));
  base.details.additional_entry_info.assign(text_view(f[kAddtlNtryInf]));
  const xml_node bktx = f[kBkTxCd];
  if (const xml_node domain = child(bktx, "Domn")) {
    const xml_node family = child(domain, "Fmly");
    base.bank_transaction_code.assign(text_view(child(domain, "Cd")));
    base.bank_transaction_code += '/';
    base.bank_transaction_code += text_view(child(family, "Cd"));
    base.bank_transaction_code += '/';
    base.bank_transaction_code += text_view(child(family, "SubFmlyCd"));
  } else {
    base.bank_transaction_code.assign(text_view(bktx, {"Prtry", "Cd"}));
  }
  base.details.charges = values_.charges(f[kChrgs]);

  // Transaction details: under NtryDtls (v02+) or directly under Ntry (v01).
  auto& txs = txs_;
  txs.clear();
  std::string batch_ref;
  auto collect = [&](xml_node holder) {
    for (xml_node c = holder.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const char* local = local_of(c.name());
      if (same_name(local, "TxDtls")) txs.push_back(c);
      else if (batch_ref.empty() && same_name(local, "Btch")) batch_ref.assign(text_view(child(c, "PmtInfId")));
    }
  };
  each(ntry, "NtryDtls", collect);
  collect(ntry);

  out.entry_amount = base.entry_amount;
  out.direction = base.direction;
  out.booked = base.status == EntryStatus::booked;
  if (txs.empty()) {
    base.entry_key = make_entry_key(record.account, base);
    out.next() = base;
    return true;
  }

  // Each detail needs its own amount in the account's currency to be split out; otherwise the
  // entry stays whole (with the first detail's references) so no cent is invented or lost.
  auto& amounts = tx_amounts_;
  amounts.clear();
  bool splittable = true;
  for (auto tx : txs) {
    std::optional<Money> m = values_.optional_amount(child(tx, "Amt"));
    if (!m) m = values_.optional_amount(path(tx, {"AmtDtls", "TxAmt", "Amt"}));
    if (m && !(m->currency() == base.amount.currency())) m.reset();
    if (!m && txs.size() > 1) splittable = false;
    amounts.push_back(m);
  }
  if (!splittable) {
    warn(out, "batch of " + std::to_string(txs.size()) + " transactions without amounts in " +
         std::string(base.amount.currency().code()) + ": kept as one entry");
    txs.resize(1);
    amounts.assign(1, base.amount);
  }
  const bool batch = txs.size() > 1;
  out.batch = batch;
  if (batch) out.batch_ref = base.bank_reference.empty() ? batch_ref : base.bank_reference;
  std::int64_t detail_sum = 0;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    Entry& e = out.next();
    e = base;
    e.detail_index = static_cast<int>(i);
    e.detail_count = static_cast<int>(txs.size());
    auto r = read_detail(txs[i], e, batch);
    if (!r) return r;
    e.amount = amounts[i].value_or(base.amount);
    detail_sum += (e.direction == base.direction ? 1 : -1) * e.amount.minor();
    e.entry_key = make_entry_key(record.account, e);
    // Room for the batch key the emitter writes, so that it allocates nothing on its thread.
    if (batch) e.batch_key.reserve(record.account.size() + out.batch_ref.size() + 24);
  }
  if (batch && detail_sum != base.entry_amount.minor()) {
    warn(out, "the transaction details add up to " + Money(detail_sum, base.amount.currency()).to_string() + ", the entry is " +
         base.entry_amount.to_string());
  }
  return true;
}

Result<bool> CamtEntryParser::read_detail(xml_node tx, Entry& e, bool batch) {
  enum { kRefs, kRltdPties, kRltdAgts, kRmtInf, kAmtDtls, kChrgs, kRtrInf, kAddtlTxInf, kCdtDbtInd };
  const auto f = children<9>(tx, {"Refs", "RltdPties", "RltdAgts", "RmtInf", "AmtDtls", "Chrgs", "RtrInf", "AddtlTxInf", "CdtDbtInd"});
  if (batch && f[kCdtDbtInd]) {
    auto dir = values_.indicator(f[kCdtDbtInd], "NtryDtls/TxDtls/CdtDbtInd", false);
    if (dir) e.direction = dir.value();
  }
  auto& d = e.details;
  {
    enum { kMsgId, kAcctSvcrRef, kPmtInfId, kInstrId, kEndToEndId, kTxId, kMndtId, kUETR };
    const auto r = children<8>(f[kRefs], {"MsgId", "AcctSvcrRef", "PmtInfId", "InstrId", "EndToEndId", "TxId", "MndtId", "UETR"});
    d.message_id.assign(text_view(r[kMsgId]));
    if (batch && r[kAcctSvcrRef]) d.transaction_id.assign(text_view(r[kAcctSvcrRef]));
    d.payment_information_id.assign(text_view(r[kPmtInfId]));
    d.instruction_id.assign(text_view(r[kInstrId]));
    e.end_to_end_id.assign(text_view(r[kEndToEndId]));
    if (auto id = text_view(r[kTxId]); !id.empty()) d.transaction_id.assign(id);
    d.mandate_id.assign(text_view(r[kMndtId]));
    d.uetr.assign(text_view(r[kUETR]));
  }
  {
    enum { kDbtr, kDbtrAcct, kUltmtDbtr, kCdtr, kCdtrAcct };
    const auto p = children<5>(f[kRltdPties], {"Dbtr", "DbtrAcct", "UltmtDbtr", "Cdtr", "CdtrAcct"});
    d.ultimate_debtor.assign(party_name(p[kUltmtDbtr]));
    d.creditor_name.assign(party_name(p[kCdtr]));
    d.creditor_account.assign(account_id(p[kCdtrAcct]));
    // The counterparty: who paid us on a credit, whom we paid on a debit.
    if (e.direction == Direction::credit) {
      e.payer_name.assign(party_name(p[kDbtr]));
      e.payer_account.assign(account_id(p[kDbtrAcct]));
      d.payer_bic.assign(bic(path(f[kRltdAgts], {"DbtrAgt", "FinInstnId"})));
    } else {
      e.payer_name = d.creditor_name;
      e.payer_account = d.creditor_account;
      d.payer_bic.assign(bic(path(f[kRltdAgts], {"CdtrAgt", "FinInstnId"})));
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
      r.type.assign(text_view(child(code, "Cd")));
      if (r.type.empty()) r.type.assign(text_view(child(code, "Prtry")));
      r.issuer.assign(text_view(child(tp, "Issr")));
      r.reference.assign(text_view(child(cri, "Ref")));
      if (!r.reference.empty()) d.creditor_references.push_back(std::move(r));
    });
    // Referred documents and their amounts come in order; pair them up.
    std::vector<ReferredDocument> docs;
    each(strd, "RfrdDocInf", [&](xml_node rdi) { docs.push_back({text(child(rdi, "Nb")), std::nullopt}); });
    std::size_t k = 0;
    each(strd, "RfrdDocAmt", [&](xml_node rda) {
      auto m = values_.optional_amount(child(rda, "RmtdAmt"));
      if (!m) m = values_.optional_amount(child(rda, "DuePyblAmt"));
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
    d.instructed_amount = values_.optional_amount(child(a[kInstdAmt], "Amt"));
    d.transaction_amount = values_.optional_amount(child(a[kTxAmt], "Amt"));
    for (const xml_node which : a) {
      const xml_node x = child(which, "CcyXchg");
      if (x && d.exchange_rate.empty()) {
        d.exchange_rate.assign(text_view(child(x, "XchgRate")));
        d.source_currency.assign(text_view(child(x, "SrcCcy")));
        d.target_currency.assign(text_view(child(x, "TrgtCcy")));
      }
    }
  }
  if (auto c = values_.charges(f[kChrgs])) d.charges = c;
  if (const xml_node rtr = f[kRtrInf]) {
    d.return_reason.assign(text_view(rtr, {"Rsn", "Cd"}));
    if (d.return_reason.empty()) d.return_reason.assign(text_view(rtr, {"Rsn", "Prtry"}));
  }
  d.additional_transaction_info.assign(text_view(f[kAddtlTxInf]));
  return true;
}

}  // namespace arcd::mapping
