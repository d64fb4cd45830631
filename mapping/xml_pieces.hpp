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

// The line of an offset in a document, counted on demand and forward: offsets asked for in
// increasing order cost one pass over the file in all. Lines matter only to messages, so
// counting them at every tag would waste a good part of a parse.
class LineCounter {
 public:
  explicit LineCounter(std::string_view bytes) : bytes_(bytes) {}
  std::size_t line_at(std::size_t offset);

 private:
  std::string_view bytes_;
  std::size_t counted_to_ = 0;
  std::size_t line_ = 1;  // the line at counted_to_
};

struct XmlPiece {
  std::string_view xml;           // the element's bytes, start tag to end tag
  std::string_view qname;         // its qualified name ("Ntry", "camt:Ntry")
  std::size_t start_offset = 0;   // where the piece starts in the file
  std::size_t end_offset = 0;     // where the piece ends in the file
  bool truncated = false;         // a statement header cut before its first entry: close it yourself
  LineCounter* lines = nullptr;
  std::size_t line() const { return lines->line_at(start_offset); }
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
