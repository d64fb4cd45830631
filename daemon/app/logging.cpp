#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdlib>

namespace arcd::app {
namespace {

// %* : the message as a JSON string body (quotes, backslashes, control characters escaped).
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            const char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
            dest.append(esc, esc + 6);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};

}  // namespace

Loggers::Loggers(const std::string& level, const std::string& format)
    : sink_(std::make_shared<spdlog::sinks::stdout_sink_mt>()), level_(spdlog::level::from_str(level)), format_(format) {}

void Loggers::apply(spdlog::logger& l) const {
  l.set_level(level_);
  l.flush_on(spdlog::level::trace);  // a crash must not eat the last lines
  if (format_ == "json") {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","logger":"%n","pid":%P,"msg":"%*"})");
    l.set_formatter(std::move(f));
  } else if (std::getenv("JOURNAL_STREAM")) {
    l.set_pattern("<%l> %n: %v");  // the journal adds its own timestamps
  } else {
    l.set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %n: %v", spdlog::pattern_time_type::utc);
  }
}

std::shared_ptr<spdlog::logger> Loggers::get(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& l = loggers_[name];
  if (!l) {
    l = std::make_shared<spdlog::logger>(name, sink_);
    apply(*l);
  }
  return l;
}

void Loggers::reconfigure(const std::string& level, const std::string& format) {
  std::lock_guard lock(mutex_);
  level_ = spdlog::level::from_str(level);
  format_ = format;
  for (auto& [name, l] : loggers_) apply(*l);
}

}  // namespace arcd::app
