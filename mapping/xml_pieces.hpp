#pragma once
// Splits an ISO 20022 camt document into the pieces its parser reads one at a time with
// pugixml: the group header, each statement's header (everything before its first entry) and
// each entry. Why not one pugixml DOM: a 1 GB statement would need about 5 GB of memory and
// 20 s; a piece at a time keeps memory flat and reuses one buffer.
//
// It is a scanner, not an XML parser: it finds element boundaries (skipping comments, CDATA,
// processing instructions and quoted attribute values), checks that tags nest, and leaves
// everything else - entities, attributes, text - to pugixml on each piece. DOCTYPE declarations
// are refused outright, so no entity is ever expanded and nothing outside the file is read.

#include <cstddef>
#include <string>
#include <string_view>

#include "arcd/error.hpp"

namespace arcd::mapping {

struct XmlPiece {
  std::string_view xml;       // the element's bytes, start tag to end tag
  std::string_view qname;     // its qualified name ("Ntry", "camt:Ntry")
  std::size_t line = 0;       // line of its start tag in the file
  std::size_t end_offset = 0; // where the piece ends in the file
  bool truncated = false;     // a statement header cut before its first entry: close it yourself
};

class XmlPieceHandler {
 public:
  virtual ~XmlPieceHandler() = default;
  // The namespace URI declared on the Document element (default or prefixed).
  virtual Result<bool> document(std::string_view namespace_uri, std::string_view root_message) = 0;
  virtual Result<bool> group_header(const XmlPiece& p) = 0;
  virtual Result<bool> record_begin(const XmlPiece& header) = 0;  // Stmt / Rpt / Ntfctn
  virtual Result<bool> entry(const XmlPiece& p) = 0;               // Ntry
  virtual Result<bool> record_end() = 0;
};

// Problem codes: XML_DOCTYPE, XML_MALFORMED (with line), XML_TOO_DEEP, XML_TOO_LARGE,
// XML_NO_DOCUMENT, or whatever the handler returns.
Result<bool> split_camt(std::string_view bytes, std::string_view origin, std::size_t max_depth, std::size_t max_piece_bytes,
                        XmlPieceHandler& handler);

}  // namespace arcd::mapping
