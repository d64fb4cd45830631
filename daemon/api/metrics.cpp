#include "api/metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace arcd::api {
namespace {

constexpr double kBucketSeconds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

struct ProcessStats {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double threads = 0;
};

ProcessStats read_process_stats() {
  ProcessStats s;
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may contain spaces.
  auto close = content.rfind(')');
  if (close != std::string::npos) {
    std::istringstream in(content.substr(close + 2));
    std::vector<std::string> f((std::istream_iterator<std::string>(in)), std::istream_iterator<std::string>());
    // f[0] is field 3 (state); utime=14, stime=15, num_threads=20, vsize=23, rss=24.
    if (f.size() > 22) {
      const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
      s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
      s.threads = std::stod(f[17]);
      s.virtual_bytes = std::stod(f[20]);
      s.resident_bytes = std::stod(f[21]) * static_cast<double>(sysconf(_SC_PAGESIZE));
    }
  }
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) s.open_fds += 1;
    closedir(d);
    s.open_fds -= 3;  // ".", ".." and the directory's own fd
  }
  return s;
}

}  // namespace

Metrics::Metrics() : started_(std::chrono::system_clock::now()) {}

void Metrics::observe_request(const std::string& method, const std::string& route, int status,
                              std::chrono::microseconds duration) {
  const double seconds = static_cast<double>(duration.count()) / 1e6;
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  auto& s = durations_[{method, route}];
  if (s.buckets.empty()) s.buckets.assign(std::size(kBucketSeconds), 0);
  ++s.count;
  s.seconds_sum += seconds;
  for (std::size_t i = 0; i < std::size(kBucketSeconds); ++i)
    if (seconds <= kBucketSeconds[i]) ++s.buckets[i];
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_.emplace_back(std::move(name), std::move(help), std::move(read));
}

std::string Metrics::render() const {
  std::ostringstream out;
  out.precision(15);
  const auto p = read_process_stats();
  const double start = static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(started_.time_since_epoch()).count());
  out << "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
      << "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total " << p.cpu_seconds << "\n"
      << "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      << "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes " << p.resident_bytes << "\n"
      << "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
      << "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes " << p.virtual_bytes << "\n"
      << "# HELP process_open_fds Number of open file descriptors.\n"
      << "# TYPE process_open_fds gauge\nprocess_open_fds " << p.open_fds << "\n"
      << "# HELP process_threads Number of OS threads.\n"
      << "# TYPE process_threads gauge\nprocess_threads " << p.threads << "\n"
      << "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
      << "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds " << start << "\n";

  std::lock_guard lock(mutex_);
  out << "# HELP arcd_http_requests_total HTTP requests answered, by method, route and status.\n"
      << "# TYPE arcd_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "arcd_http_requests_total{method=\"" << escape_label(method) << "\",route=\"" << escape_label(route)
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  out << "# HELP arcd_http_request_duration_seconds Time from request read to response written.\n"
      << "# TYPE arcd_http_request_duration_seconds histogram\n";
  for (const auto& [key, s] : durations_) {
    const std::string labels = "method=\"" + escape_label(key.first) + "\",route=\"" + escape_label(key.second) + "\"";
    for (std::size_t i = 0; i < std::size(kBucketSeconds); ++i)
      out << "arcd_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBucketSeconds[i] << "\"} " << s.buckets[i] << "\n";
    out << "arcd_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << s.count << "\n"
        << "arcd_http_request_duration_seconds_sum{" << labels << "} " << s.seconds_sum << "\n"
        << "arcd_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
  }
  for (const auto& [name, help, read] : gauges_) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n" << name << " " << read() << "\n";
  }
  return out.str();
}

}  // namespace arcd::api
