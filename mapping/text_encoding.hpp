#pragma once
// Bank text files come in UTF-8, UTF-8 with a byte order mark, or a single-byte code page:
// ISO-8859-1 (German MT940, some BAI2), ISO-8859-15 (the same with the euro sign and eight
// other letters) or Windows-1252 (what "ISO-8859-1" means when a PC wrote it). Parsers work on
// UTF-8.

#include <optional>
#include <string>
#include <string_view>

namespace arcd::mapping {

enum class TextEncoding {
  automatic,  // UTF-8 where the text is valid UTF-8, else Windows-1252
  utf8,       // strict: bytes that are not UTF-8 are an error
  iso_8859_1,
  iso_8859_15,
  windows_1252,
};

// "auto", "utf-8", "iso-8859-1", "iso-8859-15", "windows-1252", and the usual aliases (any case):
// for the config and for XML encoding declarations.
std::optional<TextEncoding> text_encoding_named(std::string_view name);
// The names, for a message that says what is accepted.
inline constexpr const char* kTextEncodingChoices = "auto, utf-8, iso-8859-1, iso-8859-15 or windows-1252";
const char* to_string(TextEncoding e);

bool is_valid_utf8(std::string_view s) noexcept;
// Where `s` stops being UTF-8: the offset of the first byte of the first bad sequence, or none.
std::optional<std::size_t> first_invalid_utf8(std::string_view s) noexcept;

// Appends `bytes` as UTF-8 read in a single-byte encoding (not utf8 or automatic).
void append_single_byte_as_utf8(std::string_view bytes, TextEncoding from, std::string& out);

// Drops a UTF-8 BOM; then valid UTF-8 stays as it is and anything else is read as `fallback`
// (automatic and utf8 both read it as Windows-1252: callers that are strict check first).
std::string to_utf8(std::string_view bytes, TextEncoding fallback = TextEncoding::automatic);

}  // namespace arcd::mapping
