#include "arcd/error.hpp"
#include "store/repositories.hpp"
#include "store/row_util.hpp"
#include "store/sqlite_native.hpp"
#include "store/zstd_frames.hpp"

namespace arcd::store {
namespace {

constexpr const char* kColumns =
    "id, format, file_sha256, account, currency, bank_statement_id, sequence, created_at, from_date, to_date, warnings, kind, "
    "servicer_bic, message_id";

Statement to_statement(const soci::row& r) {
  Statement s;
  s.id = StatementId(col_i64(r, 0));
  s.format = col_str(r, 1);
  s.file_sha256 = col_str(r, 2);
  s.account = col_str(r, 3);
  s.currency = Currency::of(col_str(r, 4));
  s.bank_statement_id = col_str(r, 5);
  s.sequence = col_opt_i64(r, 6);
  s.created_at = col_opt_instant(r, 7);
  s.from_date = col_opt_date(r, 8);
  s.to_date = col_opt_date(r, 9);
  s.warnings = col_str(r, 10);
  s.kind = col_str(r, 11);
  s.servicer_bic = col_str(r, 12);
  s.message_id = col_str(r, 13);
  return s;
}

}  // namespace

StatementId SqlStatements::insert(const Statement& s) {
  try {
    long long id = 0;
    const std::string now = c_.now(), currency(s.currency.code());
    long long sequence = s.sequence.value_or(0);
    std::string created = s.created_at ? to_iso8601(*s.created_at) : "";
    std::string from = s.from_date ? s.from_date->to_string() : "", to = s.to_date ? s.to_date->to_string() : "";
    soci::indicator seq_ind = s.sequence ? soci::i_ok : soci::i_null;
    soci::indicator created_ind = s.created_at ? soci::i_ok : soci::i_null;
    soci::indicator from_ind = s.from_date ? soci::i_ok : soci::i_null;
    soci::indicator to_ind = s.to_date ? soci::i_ok : soci::i_null;
    const std::string kind = s.kind.empty() ? "statement" : s.kind;
    c_.sql << "INSERT INTO statements(format, file_sha256, account, currency, bank_statement_id, sequence, created_at, "
              "from_date, to_date, warnings, kind, servicer_bic, message_id, imported_at) "
              "VALUES(:f, :h, :a, :c, :b, :s, :cr, :fr, :to, :w, :k, :sb, :mi, :i) RETURNING id",
        soci::use(s.format), soci::use(s.file_sha256), soci::use(s.account), soci::use(currency),
        soci::use(s.bank_statement_id), soci::use(sequence, seq_ind), soci::use(created, created_ind),
        soci::use(from, from_ind), soci::use(to, to_ind), soci::use(s.warnings), soci::use(kind), soci::use(s.servicer_bic),
        soci::use(s.message_id), soci::use(now), soci::into(id);
    int position = 0;
    for (const auto& b : s.balances) {
      const long long amount = b.amount.minor();
      const std::string bc(b.amount.currency().code());
      std::string date = b.date ? b.date->to_string() : "";
      soci::indicator date_ind = b.date ? soci::i_ok : soci::i_null;
      c_.sql << "INSERT INTO statement_balances(statement_id, position, type, amount, currency, balance_date) "
                "VALUES(:s, :p, :t, :a, :c, :d)",
          soci::use(id), soci::use(position), soci::use(b.type), soci::use(amount), soci::use(bc), soci::use(date, date_ind);
      ++position;
    }
    return StatementId(id);
  } catch (...) {
    c_.fail("insert statement " + s.bank_statement_id);
  }
}

void SqlStatements::set_file(StatementId id, const std::string& sha256) {
  try {
    const long long v = id.value();
    c_.sql << "UPDATE statements SET file_sha256 = :h WHERE id = :id", soci::use(sha256), soci::use(v);
  } catch (...) {
    c_.fail("set the file of statement " + id.to_string());
  }
}

void SqlStatements::set_warnings(StatementId id, const std::string& warnings) {
  try {
    const long long v = id.value();
    c_.sql << "UPDATE statements SET warnings = :w WHERE id = :id", soci::use(warnings), soci::use(v);
  } catch (...) {
    c_.fail("set warnings of statement " + id.to_string());
  }
}

std::optional<Statement> SqlStatements::get(StatementId id) {
  try {
    const long long v = id.value();
    auto out = fetch_one(c_.sql, std::string("SELECT ") + kColumns + " FROM statements WHERE id = :id", to_statement, soci::use(v));
    if (!out) return out;
    out->balances = fetch_all(
        c_.sql, "SELECT type, amount, currency, balance_date FROM statement_balances WHERE statement_id = :id ORDER BY position",
        [](const soci::row& r) { return Balance{col_str(r, 0), col_money(r, 1, 2), col_opt_date(r, 3)}; }, soci::use(v));
    return out;
  } catch (...) {
    c_.fail("get statement " + id.to_string());
  }
}

std::vector<Statement> SqlStatements::list(const Page& page) {
  try {
    const long long after = page.after_id;
    const int limit = page.limit;
    return fetch_all(c_.sql, std::string("SELECT ") + kColumns + " FROM statements WHERE id > :a ORDER BY id LIMIT :l",
                     to_statement, soci::use(after), soci::use(limit));
  } catch (...) {
    c_.fail("list statements");
  }
}

void SqlStatements::insert_raw_file_row(const std::string& sha256, const std::string& name, std::uint64_t size) {
  const std::string now = c_.now();
  const long long bytes = static_cast<long long>(size);
  c_.sql << "INSERT INTO raw_files(sha256, name, size, received_at, encoding) VALUES(:h, :n, :s, :t, 'zstd')", soci::use(sha256),
      soci::use(name), soci::use(bytes), soci::use(now);
}

void SqlStatements::insert_raw_chunk(const std::string& sha256, int chunk, std::string_view frame) {
  if (c_.backend == Backend::postgresql) {
    // SOCI's PostgreSQL blob is a large object, not bytea: send hex and decode server-side.
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(frame.size() * 2);
    for (unsigned char b : frame) {
      hex += kHex[b >> 4];
      hex += kHex[b & 15];
    }
    c_.sql << "INSERT INTO raw_file_chunks(sha256, chunk, content) VALUES(:h, :c, decode(:x, 'hex'))", soci::use(sha256),
        soci::use(chunk), soci::use(hex);
  } else {
    sqlite_insert_raw_chunk(c_.sql, sha256, chunk, frame);
  }
}

bool SqlStatements::store_raw_file(const std::string& sha256, const std::string& name, std::string_view bytes,
                                   const std::function<void(std::size_t)>& progress) {
  if (has_raw_file(sha256)) return false;
  try {
    insert_raw_file_row(sha256, name, bytes.size());
    int chunk = 0;
    ZstdFrameWriter zstd;
    for (std::size_t at = 0; at < bytes.size() || (at == 0 && bytes.empty()); at += kRawFileChunkBytes, ++chunk) {
      insert_raw_chunk(sha256, chunk, zstd.frame(bytes.substr(at, kRawFileChunkBytes)));
      if (progress) progress(std::min(bytes.size(), at + kRawFileChunkBytes));
      if (bytes.empty()) break;
    }
    return true;
  } catch (...) {
    c_.fail("store raw file " + name);
  }
}

bool SqlStatements::store_raw_file_frames(const std::string& sha256, const std::string& name, std::uint64_t size,
                                          std::size_t frame_count, const std::function<std::string_view(std::size_t)>& frame) {
  if (has_raw_file(sha256)) return false;
  try {
    if (frame_count == 0) throw Error("RAW_FILE_FRAMES", "raw file " + name + " comes without frames (an empty file has one)");
    insert_raw_file_row(sha256, name, size);
    for (std::size_t i = 0; i < frame_count; ++i) insert_raw_chunk(sha256, static_cast<int>(i), frame(i));
    return true;
  } catch (...) {
    c_.fail("store raw file " + name);
  }
}

bool SqlStatements::has_raw_file_of_size(std::uint64_t size) {
  try {
    const long long v = static_cast<long long>(size);
    int n = 0;
    c_.sql << "SELECT COUNT(*) FROM raw_files WHERE size = :s", soci::use(v), soci::into(n);
    return n > 0;
  } catch (...) {
    c_.fail("look for raw files of " + std::to_string(size) + " bytes");
  }
}

bool SqlStatements::read_raw_file(const std::string& sha256, const std::function<void(std::string_view)>& piece) {
  try {
    std::string encoding;
    soci::indicator ind = soci::i_null;
    c_.sql << "SELECT encoding FROM raw_files WHERE sha256 = :h", soci::use(sha256), soci::into(encoding, ind);
    if (ind != soci::i_ok) return false;
    const bool zstd = encoding == "zstd";
    if (!zstd && encoding != "identity") throw Error("RAW_FILE_ENCODING", "raw file " + sha256 + " is stored as '" + encoding + "'");
    // Chunk by chunk, as hex on both backends (one chunk in memory at a time).
    const std::string hex_of = c_.backend == Backend::postgresql ? "encode(content, 'hex')" : "hex(content)";
    const long long chunks = [&] {
      long long n = 0;
      c_.sql << "SELECT COUNT(*) FROM raw_file_chunks WHERE sha256 = :h", soci::use(sha256), soci::into(n);
      return n;
    }();
    std::string hex, bytes, plain;
    for (int chunk = 0; chunk < chunks; ++chunk) {
      c_.sql << "SELECT " + hex_of + " FROM raw_file_chunks WHERE sha256 = :h AND chunk = :c", soci::use(sha256), soci::use(chunk),
          soci::into(hex);
      bytes.clear();
      bytes.reserve(hex.size() / 2);
      for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        auto nibble = [](char h) { return static_cast<char>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10); };
        bytes += static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1]));
      }
      if (zstd) {
        plain.clear();
        append_unzstd(bytes, plain);
        piece(plain);
      } else {
        piece(bytes);
      }
    }
    return true;
  } catch (const Error&) {
    throw;
  } catch (...) {
    c_.fail("read raw file " + sha256);
  }
}

bool SqlStatements::has_raw_file(const std::string& sha256) {
  try {
    long long n = 0;
    c_.sql << "SELECT COUNT(*) FROM raw_files WHERE sha256 = :h", soci::use(sha256), soci::into(n);
    return n > 0;
  } catch (...) {
    c_.fail("look up raw file");
  }
}

std::vector<StatementRepository::AccountFreshness> SqlStatements::freshness() {
  try {
    return fetch_all(c_.sql,
                     "SELECT account, currency, COALESCE(MAX(to_date), ''), MAX(imported_at) FROM statements "
                     "GROUP BY account, currency ORDER BY account, currency",
                     [](const soci::row& r) { return AccountFreshness{col_str(r, 0), col_str(r, 1), col_str(r, 2), col_str(r, 3)}; });
  } catch (...) {
    c_.fail("statement freshness");
  }
}

}  // namespace arcd::store
