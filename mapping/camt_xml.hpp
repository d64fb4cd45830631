#pragma once
// Reading camt elements out of a pugixml piece: children by local name (any namespace prefix),
// trimmed text, and the few composite values (party names, account ids, BICs) that every part
// of a camt message uses. Shared by the statement reader and the entry parser.

#include <pugixml.hpp>

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>

namespace arcd::mapping::camt_xml {

using pugi::xml_node;

// The local part of a qualified name ("Amt", "camt:Amt"), without strlen: names are short.
inline const char* local_of(const char* qname) {
  const char* local = qname;
  for (const char* c = qname; *c; ++c) {
    if (*c == ':') local = c + 1;
  }
  return local;
}

inline std::string_view local_name(const char* qname) { return local_of(qname); }

// True when a NUL-terminated local name equals `name`; stops at the first difference.
inline bool same_name(const char* local, std::string_view name) {
  for (char ch : name) {
    if (*local != ch) return false;
    ++local;
  }
  return *local == '\0';
}

// The first child element with this local name (any namespace prefix).
inline xml_node child(xml_node n, std::string_view name) {
  for (xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && same_name(local_of(c.name()), name)) return c;
  }
  return {};
}

// The first child element of each of these names, found in one walk over the children:
// an entry's details have a dozen fields, and a walk per field was most of the parse.
template <std::size_t N>
inline std::array<xml_node, N> children(xml_node n, const std::array<std::string_view, N>& names) {
  std::array<xml_node, N> found{};
  for (xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const char* local = local_of(c.name());
    for (std::size_t i = 0; i < N; ++i) {
      if (!found[i] && same_name(local, names[i])) {
        found[i] = c;
        break;
      }
    }
  }
  return found;
}

inline xml_node path(xml_node n, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    if (!n) return {};
    n = child(n, name);
  }
  return n;
}

template <class F>
inline void each(xml_node n, std::string_view name, F f) {
  for (xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && same_name(local_of(c.name()), name)) f(c);
  }
}

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// An element's text, trimmed, as a view into the parsed piece (valid until the next piece).
inline std::string_view text_view(xml_node n) {
  if (!n) return {};
  std::string_view v = n.text().get();
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  return v;
}

inline std::string text(xml_node n) { return std::string(text_view(n)); }

inline std::string text(xml_node n, std::initializer_list<std::string_view> names) { return text(path(n, names)); }

inline std::string_view text_view(xml_node n, std::initializer_list<std::string_view> names) { return text_view(path(n, names)); }

// A party's name: <Dbtr><Nm> up to v06, <Dbtr><Pty><Nm> from v07.
// Views into the parsed piece, like text_view.
inline std::string_view party_name(xml_node party) {
  if (!party) return {};
  if (auto nm = child(party, "Nm")) return text_view(nm);
  return text_view(party, {"Pty", "Nm"});
}

inline std::string_view account_id(xml_node acct) {
  xml_node id = child(acct, "Id");
  for (auto form : {"IBAN", "BBAN", "UPIC"}) {
    if (auto v = child(id, form)) return text_view(v);
  }
  if (auto v = path(id, {"Othr", "Id"})) return text_view(v);
  return text_view(id, {"PrtryAcct", "Id"});
}

inline std::string_view bic(xml_node fin_instn_id) {
  if (auto v = child(fin_instn_id, "BICFI")) return text_view(v);
  return text_view(child(fin_instn_id, "BIC"));
}

}  // namespace arcd::mapping::camt_xml
