#include "mapping/rest/rest_mapping.hpp"

#include <toml++/toml.h>

#include <boost/json/serialize.hpp>
#include <set>
#include <sstream>

#include "mapping/json_fields.hpp"

namespace arcd::mapping::rest {
namespace json = boost::json;

namespace {

// Strict reading: every key of a table must be known.
class Table {
 public:
  Table(const toml::table& t, std::string path, const std::string& file) : t_(t), path_(std::move(path)), file_(file) {}
  std::string where(const std::string& key) const {
    const toml::node* n = t_.get(key);
    const auto& src = n ? n->source() : t_.source();
    return file_ + ":" + std::to_string(src.begin.line) + ": " + (path_.empty() ? "" : path_ + ".") + key;
  }
  [[noreturn]] void fail(const std::string& code, const std::string& key, const std::string& what) const {
    throw Error(code, where(key) + ": " + what);
  }
  std::optional<std::string> string(const std::string& key) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return std::nullopt;
    if (auto s = n->value<std::string>()) return *s;
    if (auto i = n->value<std::int64_t>()) return std::to_string(*i);
    fail("CFG_TYPE", key, "expected a string");
  }
  std::string required(const std::string& key) {
    auto v = string(key);
    if (!v || v->empty()) fail("CFG_MISSING_KEY", key, "required");
    return *v;
  }
  std::optional<Table> table(const std::string& key) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return std::nullopt;
    if (!n->is_table()) fail("CFG_TYPE", key, "expected a table");
    return Table(*n->as_table(), path_.empty() ? key : path_ + "." + key, file_);
  }
  const toml::table& raw() const { return t_; }
  void finish() const {
    for (const auto& [k, v] : t_) {
      if (!seen_.count(std::string(k.str()))) fail("CFG_UNKNOWN_KEY", std::string(k.str()), "not a key of this table");
    }
  }
  // Every key as a string (a table of parameters or headers).
  std::vector<std::pair<std::string, std::string>> pairs() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [k, v] : t_) out.emplace_back(std::string(k.str()), *string(std::string(k.str())));
    return out;
  }

 private:
  const toml::table& t_;
  std::string path_;
  const std::string& file_;
  std::set<std::string> seen_;
};

RequestTemplate read_request(Table t) {
  RequestTemplate r;
  if (auto v = t.string("method")) {
    if (*v != "GET" && *v != "POST" && *v != "PUT" && *v != "PATCH" && *v != "DELETE") t.fail("CFG_RANGE", "method", "an HTTP method");
    r.method = *v;
  }
  r.path = t.required("path");
  if (auto q = t.table("query")) r.query = q->pairs();
  if (auto h = t.table("headers")) r.headers = h->pairs();
  r.body = t.string("body").value_or("");
  r.records = t.string("records").value_or("");
  r.id = t.string("id").value_or("");
  t.finish();
  return r;
}

const std::set<std::string> kFields{"external_id", "number",  "customer_id", "customer_name", "customer_email",    "currency", "total",
                                    "open",        "issue_date", "due_date", "payment_reference", "modified",  "cancelled"};
const std::set<std::string> kRequired{"external_id", "number", "customer_id", "currency", "total", "open", "issue_date", "modified"};

FieldRule read_field(Table& fields, const std::string& key) {
  FieldRule f;
  const toml::node* n = fields.raw().get(key);
  if (n->is_string()) {
    f.path = *n->value<std::string>();
    (void)fields.string(key);
    return f;
  }
  auto t = fields.table(key);
  if (auto v = t->string("path")) f.path = *v;
  if (auto v = t->string("value")) f.constant = *v;
  if (auto v = t->string("equals")) f.equals = *v;
  if (auto v = t->string("type")) {
    if (*v != "text" && *v != "decimal" && *v != "date") t->fail("CFG_RANGE", "type", "text, decimal or date");
    f.type = *v;
  }
  if (f.path.empty() && !f.constant) t->fail("CFG_MISSING_KEY", "path", "a path or a value");
  t->finish();
  return f;
}

std::string scalar_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "";
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  return json::serialize(v);
}

}  // namespace

RestMapping parse_rest_mapping(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw Error("CFG_PARSE", file + ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column) + ": " +
                                 std::string(e.description()));
  }
  RestMapping m;
  m.file = file;
  Table r(root, "", m.file);
  if (auto a = r.table("auth")) {
    m.auth.type = a->required("type");
    if (m.auth.type != "none" && m.auth.type != "bearer" && m.auth.type != "basic" && m.auth.type != "header") {
      a->fail("CFG_RANGE", "type", "none, bearer, basic or header");
    }
    if (auto v = a->string("header")) m.auth.header = *v;
    m.auth.value = a->string("value").value_or("");
    m.auth.user = a->string("user").value_or("");
    m.auth.password = a->string("password").value_or("");
    if ((m.auth.type == "bearer" || m.auth.type == "header") && m.auth.value.empty()) a->fail("CFG_MISSING_KEY", "value", "required");
    if (m.auth.type == "basic" && m.auth.user.empty()) a->fail("CFG_MISSING_KEY", "user", "required");
    a->finish();
  }
  auto inv = r.table("invoices");
  if (!inv) r.fail("CFG_MISSING_KEY", "invoices", "the invoice endpoints are required");
  if (auto c = inv->table("changed")) m.changed = read_request(*c);
  else inv->fail("CFG_MISSING_KEY", "changed", "how to list invoices changed since {since}");
  if (auto o = inv->table("open")) m.open = read_request(*o);
  if (auto o = inv->table("one")) m.one = read_request(*o);
  else inv->fail("CFG_MISSING_KEY", "one", "how to get one invoice by {id}");
  if (auto p = inv->table("paging")) {
    m.paging.style = p->required("style");
    if (m.paging.style != "offset" && m.paging.style != "page" && m.paging.style != "cursor" && m.paging.style != "next_link" &&
        m.paging.style != "none") {
      p->fail("CFG_RANGE", "style", "offset, page, cursor, next_link or none");
    }
    if (auto v = p->string("first_page")) m.paging.first_page = std::stoi(*v);
    m.paging.next = p->string("next").value_or("");
    if ((m.paging.style == "cursor" || m.paging.style == "next_link") && m.paging.next.empty()) {
      p->fail("CFG_MISSING_KEY", "next", "where the next " + std::string(m.paging.style == "cursor" ? "cursor" : "link") + " is");
    }
    p->finish();
  }
  auto fields = inv->table("fields");
  if (!fields) inv->fail("CFG_MISSING_KEY", "fields", "where arcd's fields are in a record");
  for (const auto& [k, v] : fields->raw()) {
    const std::string key(k.str());
    if (!kFields.count(key)) fields->fail("CFG_UNKNOWN_KEY", key, "not an invoice field");
    m.fields[key] = read_field(*fields, key);
  }
  for (const auto& req : kRequired) {
    if (!m.fields.count(req)) fields->fail("CFG_MISSING_KEY", req, "required");
  }
  fields->finish();
  inv->finish();
  auto pair_of = [&](const char* name, RequestTemplate& lookup, RequestTemplate& action, const char* action_key) {
    if (auto t = r.table(name)) {
      if (auto l = t->table("lookup")) lookup = read_request(*l);
      if (auto a = t->table(action_key)) action = read_request(*a);
      t->finish();
    }
  };
  auto details = [&](const char* name, RequestTemplate& list, std::map<std::string, std::string>& out, std::set<std::string> keys) {
    if (auto t = r.table(name)) {
      if (auto l = t->table("list")) list = read_request(*l);
      else t->fail("CFG_MISSING_KEY", "list", "the request that lists them");
      auto f = t->table("fields");
      if (!f) t->fail("CFG_MISSING_KEY", "fields", "where the fields are");
      for (const auto& k : keys) out[k] = f->required(k);
      f->finish();
      t->finish();
    }
  };
  details("customers", m.customers, m.customer_fields, {"id", "email"});
  details("accounts", m.accounts, m.account_fields, {"customer_id", "account"});
  pair_of("payment", m.payment_lookup, m.payment_create, "create");
  pair_of("cancel", m.cancel_lookup, m.cancel, "request");
  pair_of("note", m.note_lookup, m.note_create, "create");
  r.finish();
  return m;
}

const json::value* at_path(const json::value& v, const std::string& path) {
  if (path.empty()) return &v;
  const json::value* cur = &v;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (cur->is_object()) {
      cur = cur->get_object().if_contains(part);
    } else if (cur->is_array() && !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit)) {
      const auto i = std::stoul(part);
      cur = i < cur->get_array().size() ? &cur->get_array()[i] : nullptr;
    } else {
      return nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

InvoiceRecord record_from(const RestMapping& m, const json::object& row, int line) {
  const json::value whole(row);
  auto where = [&](const std::string& field) { return "record " + std::to_string(line) + ": " + field; };
  auto raw = [&](const std::string& name) -> std::optional<json::value> {
    auto it = m.fields.find(name);
    if (it == m.fields.end()) return std::nullopt;
    if (it->second.constant) return json::value(*it->second.constant);
    const json::value* v = at_path(whole, it->second.path);
    if (!v || v->is_null()) return std::nullopt;
    return *v;
  };
  auto text = [&](const std::string& name, bool required) {
    auto v = raw(name);
    if (!v) {
      if (required) throw Error("ERP_FIELD", where(name) + ": missing at '" + m.fields.at(name).path + "'");
      return std::string();
    }
    return scalar_text(*v);
  };
  InvoiceRecord r;
  r.line = line;
  r.external_id = text("external_id", true);
  r.invoice_number = text("number", true);
  r.customer_external_id = text("customer_id", true);
  r.customer_name = text("customer_name", false);
  if (r.customer_name.empty()) r.customer_name = r.customer_external_id;
  r.customer_email = text("customer_email", false);
  const std::string code = text("currency", true);
  const auto currency = Currency::find(code);
  if (!currency) throw Error("ERP_FIELD", where("currency") + ": unknown currency '" + code + "'");
  r.amount_total = money_from_json(*raw("total"), *currency, where("total"));
  r.amount_open = money_from_json(*raw("open"), *currency, where("open"));
  auto date = [&](const std::string& name, bool required) -> std::optional<Date> {
    const std::string s = text(name, required);
    if (s.empty()) return std::nullopt;
    auto d = Date::parse(std::string_view(s).substr(0, 10));
    if (!d) throw Error("ERP_FIELD", where(name) + ": not a date: '" + s + "'");
    return d;
  };
  r.issue_date = *date("issue_date", true);
  r.due_date = date("due_date", false).value_or(r.issue_date);
  r.payment_reference = text("payment_reference", false);
  r.modified = text("modified", true);
  if (auto it = m.fields.find("cancelled"); it != m.fields.end()) {
    const std::string v = text("cancelled", false);
    r.cancelled = it->second.equals ? v == *it->second.equals : v == "true";
  }
  return r;
}

std::string expand(const std::string& text, const std::map<std::string, std::string>& vars, Escape escape) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A placeholder is {identifier}; any other brace is text (JSON bodies are full of them).
    std::size_t close = std::string::npos;
    if (text[i] == '{' && i + 1 < text.size() && (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_')) {
      std::size_t j = i + 1;
      while (j < text.size() && ident(text[j])) ++j;
      if (j < text.size() && text[j] == '}') close = j;
    }
    if (close == std::string::npos) {
      out += text[i];
      continue;
    }
    const std::string name = text.substr(i + 1, close - i - 1);
    auto it = vars.find(name);
    if (it == vars.end()) throw Error("ERP_TEMPLATE", "unknown placeholder {" + name + "} in '" + text.substr(0, 200) + "'");
    if (escape == Escape::json) {
      const std::string quoted = json::serialize(json::value(it->second));
      out += quoted.substr(1, quoted.size() - 2);
    } else if (escape == Escape::url) {
      out += percent_encode(it->second);
    } else {
      out += it->second;
    }
    i = close;
  }
  return out;
}

}  // namespace arcd::mapping::rest
