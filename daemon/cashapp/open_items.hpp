#pragma once
// The matching index: every open invoice, customer, payer account and issued reference, held
// in memory for one cash-application run and kept current as the run applies cash. Memory is
// proportional to the open invoices and customers, never to the statements.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "arcd/model.hpp"
#include "cashapp/id_slots.hpp"
#include "cashapp/key_index.hpp"
#include "cashapp/settings.hpp"
#include "cashapp/write_behind.hpp"

namespace arcd::cashapp {

struct OpenInvoice {
  InvoiceId id;
  CustomerId customer;
  std::string source;
  std::string number;  // (the payment reference is not kept: by_reference_ holds it, compacted)
  Date issue_date;
  Date due_date;
  Currency currency = Currency::of("EUR");
  std::int64_t open = 0;  // minor units, > 0 while it is in the index
  std::string external_id;  // the ERP's id: the ERP hears about what is applied to it
};

struct IssuedReference {
  std::optional<InvoiceId> invoice;
  std::optional<CustomerId> customer;
};

class OpenItems {
 public:
  explicit OpenItems(const MatchSettings& settings);

  void add_customer(const Customer& c);
  void add_account(const CustomerAccount& a);  // also how a run learns a payer account
  void add_invoice(const Invoice& i);           // ignored unless open with something left
  void add_issued_reference(const std::string& reference, std::optional<InvoiceId> invoice, std::optional<CustomerId> customer);

  const OpenInvoice* invoice(InvoiceId id) const;
  // Open invoices whose payment reference has this compact form.
  std::vector<InvoiceId> by_payment_reference(const std::string& compact) const;
  // Open invoices indexed under this number key (see number_keys.hpp).
  std::vector<InvoiceId> by_number_key(const std::string& key) const;
  const IssuedReference* issued(const std::string& compact) const;
  std::vector<CustomerId> customers_by_account(const std::string& account) const;
  // Customers whose normalized name is at least `threshold` similar, best first, with scores.
  std::vector<std::pair<CustomerId, int>> customers_by_name(const std::string& normalized, int threshold) const;
  // The customer's open invoices, oldest due date first (then issue date, then id).
  std::vector<const OpenInvoice*> open_of_customer(CustomerId id) const;
  std::string external_id(CustomerId id) const;
  bool has_payment_references() const { return !by_reference_.empty(); }

  // What an application changed: less open (closed at zero) or, unapplied, more again.
  void reduce_open(InvoiceId id, std::int64_t by);
  void restore(const Invoice& i);

  std::size_t invoice_count() const { return invoices_.size(); }

  // While a run loads its index (from begin_loading to finish_loading), the invoice numbers'
  // keys are made and indexed on `number_worker`'s thread (a third of the load, on the other
  // core), and each customer's invoices are put in age order once at the end. Lookups only
  // after finish_loading().
  void begin_loading(WriteBehind* number_worker) {
    number_worker_ = number_worker;
    loading_ = true;
  }
  void finish_loading();

 private:
  struct CustomerInfo {
    std::string external_id;
    std::string normalized_name;
    std::vector<std::uint16_t> bigrams;  // of the normalized name, for fuzzy comparison
    std::vector<std::int64_t> open;      // invoice ids, kept in age order
    Date newest_due, newest_issue;       // of the last of `open`, the newest
    bool out_of_order = false;           // while loading: an invoice came older than the one before
  };
  void sort_customer_invoices(CustomerInfo& c);
  void index_number(std::int64_t id, const std::string& number);
  OpenInvoice* find_invoice(std::int64_t id);  // open or not
  const OpenInvoice& stored(std::int64_t id) const { return invoices_[*invoice_slots_.find(id)]; }

  const MatchSettings& settings_;
  StableVector<OpenInvoice> invoices_;  // every invoice the run indexed, in the order it came
  IdSlots invoice_slots_;               // invoice id -> place in invoices_
  std::unordered_map<std::int64_t, CustomerInfo> customers_;
  KeyIndex by_reference_;  // compact payment reference -> invoice
  KeyIndex by_number_;     // number key -> invoice
  WriteBehind* number_worker_ = nullptr;
  bool loading_ = false;
  std::vector<CustomerInfo*> to_sort_;  // customers whose invoices came out of age order while loading
  std::vector<std::pair<std::int64_t, std::string>> numbers_to_index_;  // for the worker, a batch at a time
  std::unordered_map<std::string, IssuedReference> issued_;
  std::unordered_multimap<std::string, std::int64_t> by_account_;     // payer account -> customer
  std::unordered_multimap<std::string, std::int64_t> by_name_word_;   // word of a normalized name -> customer
  std::unordered_multimap<std::string, std::int64_t> by_name_;        // whole normalized name -> customer
};

// The account as it is compared: upper case, no spaces.
std::string normalize_account(std::string_view account);

}  // namespace arcd::cashapp
