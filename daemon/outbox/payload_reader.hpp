#pragma once
// Reading an outbox event's JSON payload back: fields by name, and errors (OUTBOX_PAYLOAD)
// that name the event, its kind and what is wrong.

#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "arcd/error.hpp"
#include "arcd/model.hpp"

namespace arcd::outbox {

class PayloadReader {
 public:
  // Throws OUTBOX_PAYLOAD when the payload is not a JSON object.
  explicit PayloadReader(const OutboxEvent& e) : e_(e) {
    boost::json::error_code ec;
    value_ = boost::json::parse(e.payload, ec);
    if (ec || !value_.is_object()) throw bad("payload is not a JSON object");
  }
  Error bad(const std::string& what) const {
    return Error("OUTBOX_PAYLOAD", "event " + e_.id.to_string() + " (" + e_.kind + "): " + what);
  }
  std::string str(const char* key) const {
    const auto* f = object().if_contains(key);
    if (!f || !f->is_string()) throw bad(std::string("missing ") + key);
    return std::string(f->get_string());
  }
  std::int64_t num(const char* key) const {
    const auto* f = object().if_contains(key);
    if (!f || !f->is_int64()) throw bad(std::string("missing ") + key);
    return f->get_int64();
  }
  const boost::json::object& object() const { return value_.get_object(); }

 private:
  const OutboxEvent& e_;
  boost::json::value value_;
};

}  // namespace arcd::outbox
