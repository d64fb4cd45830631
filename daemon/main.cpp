// arcd: the daemon. Thin: parse the command line, then hand over to the composition root.
#include <boost/program_options.hpp>

#include <iostream>

#include "app/config.hpp"
#include "app/daemon.hpp"
#include "app/events.hpp"
#include "arcd/error.hpp"
#include "arcd/version.hpp"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  po::options_description opts("arcd options");
  opts.add_options()("help,h", "show this help")("version", "print the version")(
      "config,c", po::value<std::string>()->default_value(""), "configuration file (TOML)")(
      "database", po::value<std::string>(), "database URL; overrides the file and ARCD_DATABASE_URL")(
      "set", po::value<std::vector<std::string>>()->composing(), "override a key: section.key=value (repeatable)")(
      "check-config", po::value<std::string>(), "validate FILE and exit 0 (valid) or 1")(
      "list-events", "print the stable log event ids and their meaning");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "arcd: " << e.what() << "\n" << opts;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "arcd " << arcd::kVersion << "\n";
    return 0;
  }
  if (vm.count("list-events")) {
    for (const auto& e : arcd::app::kEvents) std::cout << e.id << "\t" << e.meaning << "\n";
    return 0;
  }
  arcd::app::Overrides overrides;
  if (vm.count("set")) overrides.set = vm["set"].as<std::vector<std::string>>();
  if (vm.count("database")) overrides.database_url = vm["database"].as<std::string>();
  if (vm.count("check-config")) {
    try {
      auto cfg = arcd::app::load_config(vm["check-config"].as<std::string>(), overrides);
      std::cout << "config OK: " << vm["check-config"].as<std::string>() << "\n";
      return 0;
    } catch (const arcd::Error& e) {
      std::cerr << e.what() << "\n";
      return 1;
    }
  }
  return arcd::app::run_daemon({vm["config"].as<std::string>(), overrides});
}
