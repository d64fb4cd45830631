#pragma once
// The matching engine: the configured rules, in order, each proposing candidates with a score
// and the evidence behind it; the first rule with an acceptable, unambiguous result wins.
// Pure: reads the index, decides, changes nothing.

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "cashapp/allocation.hpp"
#include "cashapp/open_items.hpp"
#include "cashapp/settings.hpp"

namespace arcd::cashapp {

struct Candidate {
  std::string rule;               // structured_reference, invoice_number, issued_reference, payer_amount
  std::vector<InvoiceId> invoices;  // oldest first
  std::optional<CustomerId> customer;
  int score = 0;                  // 0..100
  std::string evidence;           // which tokens in which fields led here
};

enum class Outcome { apply, queue };

struct MatchResult {
  Outcome outcome = Outcome::queue;
  // For apply: the winner and how the payment splits. For queue: why, and the candidates.
  std::optional<Allocation> allocation;
  std::vector<Candidate> candidates;  // ranked, best first
  std::string reason;                 // no_candidate, ambiguous, below_threshold, over_tolerance, unknown_currency
  std::string detail;
  std::optional<CustomerId> payer;    // the customer the payer was identified as, if any
};

class Matcher {
 public:
  explicit Matcher(const MatchSettings& settings);
  // `remaining_minor`: the part of the entry's amount not yet placed.
  MatchResult match(const Entry& e, std::int64_t remaining_minor, const OpenItems& items) const;

 private:
  struct Payer {
    std::optional<CustomerId> customer;
    std::string how;
  };
  Payer identify_payer(const Entry& e, const OpenItems& items) const;
  // `remaining`: what of the entry is not placed yet (less than its amount for a queued entry
  // a person part-applied); amounts are judged against it.
  void structured_reference(const Entry& e, std::int64_t remaining, const OpenItems& items, std::vector<Candidate>& out) const;
  void invoice_number(const Entry& e, std::int64_t remaining, const std::function<const Payer&()>& payer_of, const OpenItems& items,
                      std::vector<Candidate>& out) const;
  void issued_reference(const Entry& e, std::int64_t remaining, const OpenItems& items, std::vector<Candidate>& out) const;
  void payer_amount(const Entry& e, std::int64_t remaining, const Payer& payer, const OpenItems& items,
                    std::vector<Candidate>& out) const;
  // Score by how well the amount fits, once a rule has named invoices.
  int amount_fit_score(const Entry& e, std::int64_t remaining, const std::vector<InvoiceId>& invoices, const OpenItems& items,
                       int exact, int within_tolerance, int other) const;

  const MatchSettings& settings_;
  std::vector<std::pair<std::string, std::regex>> patterns_;  // per entity (invoice source)
};

}  // namespace arcd::cashapp
