// arcctl config check | db migrate | db status
#include <boost/json.hpp>

#include "arcctl/commands.hpp"
#include "arcd/error.hpp"

namespace arcd::arcctl {

int cmd_config_check(Context& c) {
  const auto& cfg = c.config();
  c.out << "config OK: " << (cfg.file.empty() ? "<built-in defaults>" : cfg.file) << "\n";
  if (c.option("show")) c.out << app::describe_config(cfg);
  return 0;
}

namespace {
void print_status(Context& c, const SchemaStatus& st) {
  Table t({"backend", "schema_version", "known_version", "applied", "pending"});
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
  };
  t.add({boost::json::value(c.store().backend()), st.current_version, st.known_version, boost::json::value(join(st.applied)),
         boost::json::value(join(st.pending))});
  t.print(c.out, c.format);
}
}  // namespace

int cmd_db_migrate(Context& c) {
  print_status(c, c.store().migrate());
  return 0;
}

int cmd_db_status(Context& c) {
  const auto st = c.store().schema_status();
  print_status(c, st);
  return st.pending.empty() ? 0 : 3;  // 3: migrations pending, so scripts can tell
}

}  // namespace arcd::arcctl
