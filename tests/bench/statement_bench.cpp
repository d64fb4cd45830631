// Statement throughput: writes an N-entry camt.053.001.08 (pretty-printed, 1-3 transaction
// details per entry with references, debtor name and IBAN, RF or free-text remittance) and the
// equivalent BAI2 file, then measures a full parse (every field extracted into Entry objects)
// from a mapped file, and an end-to-end import into SQLite. Prints figures; asserts nothing
// about time. Usage: statement_bench [N ...]   (default 1000; the issue asks for 100000 and 1000000)
// ARCD_BENCH_PARSE_ONLY=1 skips the imports (for profiling the parsers); ARCD_BENCH_FORMAT=camt
// or bai2 runs one format only; ARCD_BENCH_KEEP_DB=PREFIX keeps each imported database as
// PREFIX.camt.db / PREFIX.bai2.db, for experiments by hand. After each import the same rows are
// stored again by plain SQL (bench::SqlReplay): the figure no import of them can beat here.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "bench_util.hpp"
#include "connectors/mapped_file.hpp"
#include "mapping/bai2.hpp"
#include "mapping/camt.hpp"
#include "statements/statement_import.hpp"
#include "test_support.hpp"

using namespace arcd;
using Stopwatch = std::chrono::steady_clock;

namespace {

// Touches every field the parser extracted, so nothing is optimized away.
class CountingSink final : public mapping::StatementSink {
 public:
  void begin_statement(const Statement&) override {}
  void entry(const Entry& e) override {
    ++entries;
    checksum += e.amount.minor() + static_cast<std::int64_t>(e.payer_name.size() + e.payer_account.size() + e.remittance.size() +
                                                             e.end_to_end_id.size() + e.structured_reference.size());
  }
  void end_statement(const Statement&) override {}
  std::int64_t entries = 0;
  std::int64_t checksum = 0;
};

const char* kNames[] = {"Acme Trading GmbH", "Mueller & Soehne KG", "Kestrel Engineering BV", "Nordwind Logistik AG"};

struct Files {
  std::filesystem::path camt, bai2;
  std::size_t camt_bytes = 0, bai2_bytes = 0;
  std::int64_t transactions = 0;
};

Files write_files(const std::filesystem::path& dir, long n) {
  std::mt19937_64 rng(53);
  Files f{dir / "bench.camt053.xml", dir / "bench.bai2"};
  std::ofstream camt(f.camt), bai2(f.bai2);
  camt << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">\n"
       << "  <BkToCstmrStmt>\n    <GrpHdr>\n      <MsgId>BENCH</MsgId>\n      <CreDtTm>2026-11-23T18:00:00Z</CreDtTm>\n    </GrpHdr>\n"
       << "    <Stmt>\n      <Id>BENCH-1</Id>\n      <Acct>\n        <Id>\n          <IBAN>DE89370400440532013000</IBAN>\n        </Id>\n"
       << "        <Ccy>EUR</Ccy>\n      </Acct>\n";
  std::ostringstream bai2_body;
  std::int64_t total = 0, records = 2;
  bai2 << "01,SENDER,RECEIVER,261123,1800,1,,,2/\n02,RECEIVER,BANK,1,261123,2400,EUR,2/\n03,DE89370400440532013000,EUR,010,0,,/\n";
  for (long i = 0; i < n; ++i) {
    const int details = 1 + static_cast<int>(rng() % 3);
    std::int64_t amounts[3];
    std::int64_t sum = 0;
    for (int k = 0; k < details; ++k) sum += amounts[k] = 100 + static_cast<std::int64_t>(rng() % 1000000);
    const Money entry_amount(sum, Currency::of("EUR"));
    camt << "      <Ntry>\n        <Amt Ccy=\"EUR\">" << entry_amount.to_string() << "</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n"
         << "        <Sts>\n          <Cd>BOOK</Cd>\n        </Sts>\n        <BookgDt>\n          <Dt>2026-11-23</Dt>\n        </BookgDt>\n"
         << "        <ValDt>\n          <Dt>2026-11-23</Dt>\n        </ValDt>\n        <AcctSvcrRef>2026112300" << i << "</AcctSvcrRef>\n"
         << "        <BkTxCd>\n          <Domn>\n            <Cd>PMNT</Cd>\n            <Fmly>\n              <Cd>RCDT</Cd>\n"
         << "              <SubFmlyCd>ESCT</SubFmlyCd>\n            </Fmly>\n          </Domn>\n        </BkTxCd>\n        <NtryDtls>\n";
    for (int k = 0; k < details; ++k) {
      const Money a(amounts[k], Currency::of("EUR"));
      const char* name = kNames[rng() % 4];
      const std::string iban = "DE" + std::to_string(10 + rng() % 89) + std::to_string(100000000000000000ULL + rng() % 800000000000000000ULL);
      const std::string e2e = "E2E-" + std::to_string(i) + "-" + std::to_string(k);
      const bool structured = rng() % 2;
      const std::string ref = structured ? "RF18" + std::to_string(539007547034ULL + static_cast<unsigned long long>(i)) : "";
      const std::string text = "INV-" + std::to_string(100000 + i % 900000) + " Rechnung " + std::to_string(k);
      camt << "          <TxDtls>\n            <Refs>\n              <EndToEndId>" << e2e << "</EndToEndId>\n            </Refs>\n"
           << "            <Amt Ccy=\"EUR\">" << a.to_string() << "</Amt>\n            <CdtDbtInd>CRDT</CdtDbtInd>\n"
           << "            <RltdPties>\n              <Dbtr>\n                <Pty>\n                  <Nm>" << (std::string(name).find('&') != std::string::npos ? "Mueller &amp; Soehne KG" : name)
           << "</Nm>\n                </Pty>\n              </Dbtr>\n              <DbtrAcct>\n                <Id>\n                  <IBAN>" << iban
           << "</IBAN>\n                </Id>\n              </DbtrAcct>\n            </RltdPties>\n            <RmtInf>\n";
      if (structured) {
        camt << "              <Strd>\n                <CdtrRefInf>\n                  <Tp>\n                    <CdOrPrtry>\n"
             << "                      <Cd>SCOR</Cd>\n                    </CdOrPrtry>\n                  </Tp>\n                  <Ref>" << ref
             << "</Ref>\n                </CdtrRefInf>\n              </Strd>\n";
      } else {
        camt << "              <Ustrd>" << text << "</Ustrd>\n";
      }
      camt << "            </RmtInf>\n          </TxDtls>\n";
      // The same transaction as a BAI2 detail with its text continued in an 88.
      bai2 << "16,195," << amounts[k] << ",Z,2026112300" << i << "," << e2e << "," << name << "\n88," << (structured ? ref : text) << "\n";
      records += 2;
      total += amounts[k];
      ++f.transactions;
    }
    camt << "        </NtryDtls>\n      </Ntry>\n";
  }
  camt << "    </Stmt>\n  </BkToCstmrStmt>\n</Document>\n";
  bai2 << "49," << total << "," << records << "/\n98," << total << ",1," << records + 2 << "/\n99," << total << ",1," << records + 4 << "/\n";
  camt.close();
  bai2.close();
  f.camt_bytes = std::filesystem::file_size(f.camt);
  f.bai2_bytes = std::filesystem::file_size(f.bai2);
  return f;
}

void parse_figures(const char* label, const std::filesystem::path& file, long entries_in_file,
                   Result<mapping::ParseSummary> (*parse)(std::string_view, std::string_view, mapping::StatementSink&,
                                                          const mapping::StatementParseOptions&)) {
  auto mapped = connectors::MappedFile::open(file, std::size_t(64) << 30);
  if (!mapped) {
    std::cerr << mapped.problem().to_string() << "\n";
    std::exit(1);
  }
  auto& m = mapped.value();
  mapping::StatementParseOptions options;
  options.progress = [&](std::size_t done) { m.release_before(done); };
  if (const char* w = std::getenv("ARCD_BENCH_PARSE_WORKERS")) options.parse_workers = std::atoi(w);
  CountingSink sink;
  const long rss_before = bench::current_rss_mb();
  const auto t0 = Stopwatch::now();
  const double cpu0 = bench::cpu_seconds(), caller_cpu0 = bench::cpu_seconds(RUSAGE_THREAD);
  auto r = parse(m.bytes(), file.filename().string(), sink, options);
  const double seconds = std::chrono::duration<double>(Stopwatch::now() - t0).count();
  const double cpu = bench::cpu_seconds() - cpu0, caller_cpu = bench::cpu_seconds(RUSAGE_THREAD) - caller_cpu0;
  if (!r) {
    std::cerr << r.problem().to_string() << "\n";
    std::exit(1);
  }
  const double mb = static_cast<double>(m.bytes().size()) / 1e6;
  std::printf("%-6s parse: %9ld entries (%ld in file) %8.1f MB in %6.3f s = %8.1f MB/s, %10.0f entries/s; RSS %ld MB before, peak %ld MB\n",
              label, static_cast<long>(sink.entries), entries_in_file, mb, seconds, mb / seconds,
              static_cast<double>(sink.entries) / seconds, rss_before, bench::peak_rss_mb());
  std::printf("       CPU %.2f s in all, %.2f s on the calling thread\n", cpu, caller_cpu);
}

// The import's rows stored again by SQLite alone (bench::SqlReplay), in one transaction as the
// import stores a file: the most any import of these rows can reach on this machine.
void sqlite_alone_figures(const std::string& imported, int entries) {
  test::TestDatabase target("sqlite");
  open_store({target.url(), 1, 5000})->migrate();
  bench::SqlReplay replay(target.url().substr(std::string("sqlite://").size()), imported);
  // In the order their references need.
  const char* tables[] = {"raw_files", "raw_file_chunks", "statements", "statement_balances", "entries", "cash_inbox"};
  for (const char* t : tables) replay.untimed(std::string("CREATE TEMP TABLE staged_") + t + " AS SELECT * FROM run." + t);
  replay.begin();
  for (const char* t : tables) replay.timed(std::string("INSERT INTO main.") + t + " SELECT * FROM temp.staged_" + t);
  replay.commit();
  const double seconds = replay.statement_seconds + replay.commit_seconds;
  std::printf("       SQLite alone, the same rows by INSERT ... SELECT in one transaction: %6.3f s = %10.0f entries/s "
              "(inserting %.3f s, commit %.3f s)\n",
              seconds, entries / seconds, replay.statement_seconds, replay.commit_seconds);
}

void import_figures(const char* label, const std::filesystem::path& file, const std::filesystem::path& dir) {
  test::TestDatabase db("sqlite");
  auto store = open_store({db.url(), 1, 5000});
  store->migrate();
  auto mapped = connectors::MappedFile::open(file, std::size_t(64) << 30);
  mapping::StatementParseOptions options;
  options.progress = [&](std::size_t done) { mapped.value().release_before(done); };
  if (const char* w = std::getenv("ARCD_BENCH_PARSE_WORKERS")) options.parse_workers = std::atoi(w);
  const auto t0 = Stopwatch::now();
  const double cpu0 = bench::cpu_seconds(), writer_cpu0 = bench::cpu_seconds(RUSAGE_THREAD);
  auto r = statements::import_statement_file(*store, file.filename().string(), mapped.value().bytes(), options, "bench");
  const double seconds = std::chrono::duration<double>(Stopwatch::now() - t0).count();
  const double cpu = bench::cpu_seconds() - cpu0, writer_cpu = bench::cpu_seconds(RUSAGE_THREAD) - writer_cpu0;
  if (!r) {
    std::cerr << r.problem().to_string() << "\n";
    std::exit(1);
  }
  // Peak RSS counts the database pages SQLite read through its mapping (up to mmap_size) and
  // the statement file's pages; the process's own memory is RssAnon.
  std::printf("%-6s import into SQLite: %9d entries in %6.3f s = %10.0f entries/s; peak RSS %ld MB, own memory (RssAnon) %ld MB\n",
              label, r.value().entries_new, seconds, r.value().entries_new / seconds, bench::peak_rss_mb(), bench::anon_rss_mb());
  // The calling thread is the writer; the parser and the raw-file pass run beside it.
  std::printf("       CPU %.2f s in all, %.2f s on the writing thread, %.2f s parsing, hashing and compressing beside it\n", cpu,
              writer_cpu, cpu - writer_cpu);
  (void)dir;
  store.reset();  // closes the connections: the file then holds everything, the log checkpointed
  const std::string imported = db.url().substr(std::string("sqlite://").size());
  // In a process of its own: its staged rows would count in this one's peak RSS.
  if (!bench::run_self({"--sqlite-alone", imported, std::to_string(r.value().entries_new)})) {
    std::cerr << "the SQLite-alone replay failed\n";
    std::exit(1);
  }
  if (const char* keep = std::getenv("ARCD_BENCH_KEEP_DB")) {
    const std::string to = std::string(keep) + "." + label + ".db";
    std::filesystem::copy_file(imported, to, std::filesystem::copy_options::overwrite_existing);
    std::printf("       database copied to %s\n", to.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--sqlite-alone") {  // bench::run_self from import_figures
    sqlite_alone_figures(argv[2], std::stoi(argv[3]));
    return 0;
  }
  std::vector<long> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::stol(argv[i]));
  if (sizes.empty()) sizes = {1000};
  for (long n : sizes) {
    test::TempDir dir;
    const auto t0 = Stopwatch::now();
    const auto files = write_files(dir.path(), n);
    std::printf("N=%ld entries (%lld transactions): camt.053 %.1f MB, BAI2 %.1f MB, written in %.1f s\n", n,
                static_cast<long long>(files.transactions), static_cast<double>(files.camt_bytes) / 1e6,
                static_cast<double>(files.bai2_bytes) / 1e6, std::chrono::duration<double>(Stopwatch::now() - t0).count());
    const char* only = std::getenv("ARCD_BENCH_FORMAT");
    const bool camt = !only || std::string(only) == "camt", bai2 = !only || std::string(only) == "bai2";
    if (camt) parse_figures("camt", files.camt, n, &mapping::parse_camt);
    if (bai2) parse_figures("bai2", files.bai2, files.transactions, &mapping::parse_bai2);
    if (!std::getenv("ARCD_BENCH_PARSE_ONLY")) {
      if (camt) import_figures("camt", files.camt, dir.path());
      if (bai2) import_figures("bai2", files.bai2, dir.path());
    }
  }
  std::printf("1 passed, 0 failed\n");
  return 0;
}
