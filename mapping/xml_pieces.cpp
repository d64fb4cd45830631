#include "mapping/xml_pieces.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace arcd::mapping {
namespace {

std::string_view local(std::string_view qname) {
  auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// Finds one '<' after the other in a buffer, 64 bytes at a time: a bit per byte of the block
// around the position, so the next '<' is a shift and a count of zeros. Tags are a dozen bytes apart in an
// entry, and a memchr() per tag spent more time starting up than scanning: it was a third of
// the splitter's thread.
class LessThanScan {
 public:
  explicit LessThanScan(std::string_view b) : begin_(b.data()), end_(b.data() + b.size()) {}

  // The first '<' at or after `p`, or the buffer's end.
  const char* next(const char* p) {
    while (p < end_) {
      const auto offset = static_cast<std::size_t>(p - begin_);
      const std::size_t block = offset & ~std::size_t(63);
      if (block != block_) load(block);
      const std::uint64_t after = mask_ >> (offset - block);
      if (after != 0) return p + std::countr_zero(after);
      p = begin_ + block + 64;
    }
    return end_;
  }

 private:
  void load(std::size_t block) {
    block_ = block;
    const char* b = begin_ + block;
    const auto left = static_cast<std::size_t>(end_ - b);
    mask_ = 0;
#if defined(__SSE2__)
    if (left >= 64) {
      if (left > kPrefetchAhead) __builtin_prefetch(b + kPrefetchAhead);
      const __m128i lt = _mm_set1_epi8('<');
      for (int i = 0; i < 4; ++i) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16 * i));
        const auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, lt)));
        mask_ |= std::uint64_t(bits) << (16 * i);
      }
      return;
    }
#endif
    for (std::size_t i = 0; i < std::min<std::size_t>(left, 64); ++i) {
      if (b[i] == '<') mask_ |= std::uint64_t(1) << i;
    }
  }

  // The file streams through once: asking for the bytes a kilobyte ahead hides the wait for
  // them behind the scan of the bytes at hand (about 10 % of a camt parse, measured).
  static constexpr std::size_t kPrefetchAhead = 1024;
  const char* begin_;
  const char* end_;
  std::size_t block_ = SIZE_MAX;
  std::uint64_t mask_ = 0;
};

bool is_name_end(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>'; }

class Splitter {
 public:
  Splitter(std::string_view b, std::string_view origin, std::size_t max_depth, std::size_t max_piece, XmlPieceHandler& h)
      : b_(b), origin_(origin), max_depth_(max_depth), max_piece_(max_piece), h_(h) {}

  Result<bool> run() {
    while (true) {
      if (in_entry_) {
        auto r = scan_entry();
        if (!r) return r;
        if (in_entry_) {  // stopped at something the fast scan leaves to the general one
          auto t = tag();
          if (!t) return t;
        }
        continue;
      }
      const std::size_t next = static_cast<std::size_t>(less_than_.next(b_.data() + pos_) - b_.data());
      advance_to(next);
      if (next == b_.size()) break;
      auto r = tag();
      if (!r) return r;
    }
    if (in_entry_) return malformed("the document ends inside <" + std::string(entry_.name) + ">");
    if (!stack_.empty()) return malformed("the document ends inside <" + std::string(stack_.back().name) + ">");
    if (!seen_document_) return Problem{"XML_NO_DOCUMENT", std::string(origin_), "no ISO 20022 Document element"};
    return true;
  }

 private:
  struct Open {
    std::string_view name;
    std::size_t start;
  };

  void advance_to(std::size_t p) { pos_ = p; }
  std::size_t line() { return lines_.line_at(pos_); }

  Problem malformed(const std::string& what) {
    return Problem{"XML_MALFORMED", std::string(origin_) + ":" + std::to_string(line()), what};
  }

  // The fast path inside an entry, where nearly all of a statement's bytes are: find its end
  // tag and keep count of depth, without looking at names or text (pugixml checks those when
  // it parses the piece). Returns at the entry's end, or with pos_ at a tag it leaves to
  // tag(): comments, CDATA, processing instructions, or a start tag with quoted attributes.
  Result<bool> scan_entry() {
    const char* const begin = b_.data();
    const char* const end = begin + b_.size();
    const char* p = begin + pos_;
    while (true) {
      const char* lt = less_than_.next(p);
      if (lt + 1 >= end) {
        advance_to(b_.size());
        return malformed("the document ends inside <" + std::string(entry_.name) + ">");
      }
      const char c = lt[1];
      if (c == '!' || c == '?') {
        advance_to(static_cast<std::size_t>(lt - begin));
        return true;
      }
      if (c == '/') {
        if (inner_depth_ > 0) {
          --inner_depth_;
          p = lt + 2;
          continue;
        }
        advance_to(static_cast<std::size_t>(lt - begin));
        return end_tag();
      }
      // A start tag: find its '>'; quotes (attributes that may hold '>') go the careful way.
      const char* gt = lt + 1;
      while (gt < end && *gt != '>' && *gt != '"' && *gt != '\'' && *gt != '<') ++gt;
      if (gt >= end || *gt != '>') {
        advance_to(static_cast<std::size_t>(lt - begin));
        return true;
      }
      if (gt[-1] != '/' && ++inner_depth_ + stack_.size() + 1 > max_depth_) {
        advance_to(static_cast<std::size_t>(lt - begin));
        return Problem{"XML_TOO_DEEP", std::string(origin_) + ":" + std::to_string(line()),
                       "elements nest deeper than " + std::to_string(max_depth_)};
      }
      p = gt + 1;
    }
  }

  // Skips to just past `end`, or fails when the file ends first.
  Result<bool> skip_past(std::string_view end, const char* what) {
    const auto found = b_.find(end, pos_);
    if (found == std::string_view::npos) return malformed(std::string("unterminated ") + what);
    advance_to(found + end.size());
    return true;
  }

  Result<bool> tag() {
    const std::string_view rest = b_.substr(pos_);
    if (rest.starts_with("<?")) return skip_past("?>", "processing instruction");
    if (rest.starts_with("<!--")) return skip_past("-->", "comment");
    if (rest.starts_with("<![CDATA[")) return skip_past("]]>", "CDATA section");
    if (rest.starts_with("<!")) {
      if (std::string_view("<!--").starts_with(rest) || std::string_view("<![CDATA[").starts_with(rest)) {
        return malformed("the document ends inside a comment or CDATA section's opening");
      }
      return Problem{"XML_DOCTYPE", std::string(origin_) + ":" + std::to_string(line()),
                     "DOCTYPE and entity declarations are refused (no entity expansion, no external entities)"};
    }
    if (rest.starts_with("</")) return end_tag();
    return start_tag();
  }

  // Inside an entry only depth matters: pugixml parses the entry piece and checks its tags.
  // Where the tag that starts at `from` ends ('>'), stepping over quoted attribute values
  // (which may hold '>'); npos when the file ends first. `stray_lt` tells of a '<' inside.
  std::size_t tag_end(std::size_t from, bool& stray_lt) const {
    char quote = 0;
    stray_lt = false;
    for (std::size_t i = from; i < b_.size(); ++i) {
      const char c = b_[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      } else if (c == '<') {
        stray_lt = true;
      }
    }
    return std::string_view::npos;
  }

  // Inside an entry only depth matters: pugixml parses the entry piece and checks its tags.
  Result<bool> inner_start_tag() {
    bool stray_lt;
    const std::size_t i = tag_end(pos_ + 1, stray_lt);
    if (i == std::string_view::npos) return malformed("unterminated start tag");
    const bool self_closing = b_[i - 1] == '/';
    advance_to(i + 1);
    if (!self_closing && ++inner_depth_ + stack_.size() + 1 > max_depth_) {
      return Problem{"XML_TOO_DEEP", std::string(origin_) + ":" + std::to_string(line()),
                     "elements nest deeper than " + std::to_string(max_depth_)};
    }
    return true;
  }

  Result<bool> start_tag() {
    if (in_entry_) return inner_start_tag();
    const std::size_t start = pos_;
    std::size_t i = pos_ + 1;
    while (i < b_.size() && !is_name_end(b_[i])) ++i;
    const std::string_view name = b_.substr(pos_ + 1, i - pos_ - 1);
    if (name.empty()) return malformed("a '<' that starts no element");
    bool stray_lt;
    i = tag_end(i, stray_lt);
    if (stray_lt) return malformed("'<' inside the tag <" + std::string(name) + ">");
    if (i == std::string_view::npos) return malformed("unterminated start tag <" + std::string(name) + ">");
    const bool self_closing = b_[i - 1] == '/';
    const std::string_view attributes = b_.substr(pos_ + 1 + name.size(), i - pos_ - 1 - name.size());
    advance_to(i + 1);

    const std::string_view ln = local(name);
    const std::string_view parent = stack_.empty() ? std::string_view() : local(stack_.back().name);
    if (!seen_document_ && ln == "Document") {
      seen_document_ = true;
      document_depth_ = stack_.size();
      namespace_ = find_namespace(attributes, name);
    } else if (seen_document_ && stack_.size() == document_depth_ + 1 && !message_seen_) {
      message_seen_ = true;
      auto r = h_.document(namespace_, ln);
      if (!r) return r;
    }
    if (parent.starts_with("BkToCstmr") && (ln == "Stmt" || ln == "Rpt" || ln == "Ntfctn")) {
      record_ = {name, start};
      record_stack_depth_ = stack_.size();
      in_record_ = true;
      header_sent_ = false;
    }
    if (in_record_ && ln == "Ntry" && stack_.size() == record_depth()) {
      if (!header_sent_) {
        auto r = send_header(start);
        if (!r) return r;
      }
      if (!self_closing) {
        in_entry_ = true;
        inner_depth_ = 0;
        entry_ = {name, start};
        return true;
      }
    }
    if (self_closing) {
      if (in_record_ && ln == record_kind() && stack_.size() == record_depth() - 1) return finish_record(pos_);
      return true;
    }
    if (stack_.size() >= max_depth_) {
      return Problem{"XML_TOO_DEEP", std::string(origin_) + ":" + std::to_string(lines_.line_at(start)),
                     "elements nest deeper than " + std::to_string(max_depth_)};
    }
    stack_.push_back({name, start});
    return true;
  }

  Result<bool> end_tag() {
    std::size_t i = pos_ + 2;
    while (i < b_.size() && b_[i] != '>') ++i;
    if (i >= b_.size()) return malformed("unterminated end tag");
    std::string_view name = b_.substr(pos_ + 2, i - pos_ - 2);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t' || name.back() == '\r' || name.back() == '\n'))
      name.remove_suffix(1);
    advance_to(i + 1);
    if (in_entry_) {
      if (inner_depth_ > 0) {
        --inner_depth_;
        return true;
      }
      if (name != entry_.name) {
        return malformed("</" + std::string(name) + "> where </" + std::string(entry_.name) + "> was expected");
      }
      in_entry_ = false;
      const XmlPiece p = piece(entry_, pos_);
      if (p.xml.size() > max_piece_) return too_large(p);
      return h_.entry(p);
    }
    if (stack_.empty()) return malformed("</" + std::string(name) + "> closes nothing");
    if (stack_.back().name != name) {
      return malformed("</" + std::string(name) + "> where </" + std::string(stack_.back().name) + "> was expected");
    }
    const Open open = stack_.back();
    stack_.pop_back();
    const std::string_view ln = local(name);
    const std::string_view parent = stack_.empty() ? std::string_view() : local(stack_.back().name);
    if (ln == "GrpHdr" && parent.starts_with("BkToCstmr")) {
      return h_.group_header(piece(open, pos_));
    }
    if (in_record_ && stack_.size() == record_depth() - 1 && name == record_.name) return finish_record(pos_);
    return true;
  }

  Result<bool> finish_record(std::size_t end) {
    if (!header_sent_) {
      auto r = send_header(end, false);
      if (!r) return r;
    }
    in_record_ = false;
    return h_.record_end();
  }

  Result<bool> send_header(std::size_t end, bool truncated = true) {
    header_sent_ = true;
    XmlPiece p = piece(record_, end);
    p.truncated = truncated;
    if (p.xml.size() > max_piece_) return too_large(p);
    return h_.record_begin(p);
  }

  Problem too_large(const XmlPiece& p) const {
    return Problem{"XML_TOO_LARGE", std::string(origin_) + ":" + std::to_string(p.line()),
                   "<" + std::string(p.qname) + "> is " + std::to_string(p.xml.size()) + " bytes, over the limit of " +
                       std::to_string(max_piece_)};
  }

  XmlPiece piece(const Open& open, std::size_t end) {
    XmlPiece p;
    p.xml = b_.substr(open.start, end - open.start);
    p.qname = open.name;
    p.start_offset = open.start;
    p.end_offset = end;
    p.lines = &lines_;
    return p;
  }

  std::size_t record_depth() const { return record_stack_depth_ + 1; }
  std::string_view record_kind() const { return local(record_.name); }

  static std::string_view find_namespace(std::string_view attributes, std::string_view qname) {
    // xmlns="..." for an unprefixed Document, xmlns:p="..." for <p:Document>.
    const auto colon = qname.find(':');
    const std::string attr = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(qname.substr(0, colon));
    std::size_t at = 0;
    while ((at = attributes.find(attr, at)) != std::string_view::npos) {
      std::size_t i = at + attr.size();
      while (i < attributes.size() && (attributes[i] == ' ' || attributes[i] == '\t')) ++i;
      if (i < attributes.size() && attributes[i] == '=') {
        ++i;
        while (i < attributes.size() && (attributes[i] == ' ' || attributes[i] == '\t')) ++i;
        if (i < attributes.size() && (attributes[i] == '"' || attributes[i] == '\'')) {
          const char q = attributes[i];
          const auto close = attributes.find(q, i + 1);
          if (close != std::string_view::npos) return attributes.substr(i + 1, close - i - 1);
        }
      }
      at += attr.size();
    }
    return {};
  }

  std::string_view b_;
  std::string_view origin_;
  std::size_t max_depth_;
  std::size_t max_piece_;
  XmlPieceHandler& h_;
  std::size_t pos_ = 0;
  LineCounter lines_{b_};
  LessThanScan less_than_{b_};
  std::vector<Open> stack_;
  bool seen_document_ = false;
  bool message_seen_ = false;
  std::size_t document_depth_ = 0;
  std::string_view namespace_;
  Open record_{};
  bool in_record_ = false;
  bool header_sent_ = false;
  std::size_t record_stack_depth_ = 0;
  bool in_entry_ = false;      // between <Ntry> and its </Ntry>
  std::size_t inner_depth_ = 0;
  Open entry_{};
};

}  // namespace

std::size_t LineCounter::line_at(std::size_t offset) {
  offset = std::min(offset, bytes_.size());
  if (offset < counted_to_) {  // backwards: rare (an error about an earlier tag), so recount
    counted_to_ = 0;
    line_ = 1;
  }
  line_ += static_cast<std::size_t>(std::count(bytes_.data() + counted_to_, bytes_.data() + offset, '\n'));
  counted_to_ = offset;
  return line_;
}

Result<bool> split_camt(std::string_view bytes, std::string_view origin, std::size_t max_depth, std::size_t max_piece_bytes,
                        XmlPieceHandler& handler) {
  Splitter s(bytes, origin, max_depth, max_piece_bytes, handler);
  return s.run();
}

}  // namespace arcd::mapping
