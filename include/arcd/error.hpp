#pragma once
// The project's exception type: a stable code (an event id operators and tests can match
// on) plus a message with context. Used for start-up, config and broken invariants; business
// outcomes use arcd::Result instead.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace arcd {

class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message)
      : std::runtime_error(code + ": " + message), code_(std::move(code)), detail_(message) {}
  const std::string& code() const noexcept { return code_; }
  // The message without the code prefix.
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string code_;
  std::string detail_;
};

// A precise problem report: a stable code, where (file:line, column, XPath, key) and what.
struct Problem {
  std::string code;
  std::string where;
  std::string what;
  std::string to_string() const { return code + " at " + where + ": " + what; }
};

// An expected-or-problem result for outcomes the business logic must handle.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit on purpose
  Result(Problem problem) : v_(std::move(problem)) {}  // NOLINT
  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Problem& problem() const { return std::get<1>(v_); }

 private:
  std::variant<T, Problem> v_;
};

}  // namespace arcd
