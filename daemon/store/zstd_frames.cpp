#include "store/zstd_frames.hpp"

#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/filter/zstd.hpp>
#include <boost/iostreams/filtering_stream.hpp>

#include "arcd/error.hpp"

namespace arcd::store {

namespace io = boost::iostreams;

struct ZstdFrameWriter::Compressor {
  io::zstd_compressor filter{io::zstd_params(1), 1u << 20};  // a large buffer: fewer calls into zstd
};

ZstdFrameWriter::ZstdFrameWriter() : compressor_(std::make_unique<Compressor>()) {}
ZstdFrameWriter::~ZstdFrameWriter() = default;

std::string ZstdFrameWriter::frame(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 8 + 64);
  io::back_insert_device<std::string> sink(out);
  auto& filter = compressor_->filter;
  for (std::size_t at = 0; at < bytes.size();) {
    const auto n = filter.write(sink, bytes.data() + at, static_cast<std::streamsize>(bytes.size() - at));
    if (n <= 0) throw Error("RAW_FILE_COMPRESS", "zstd took no input at byte " + std::to_string(at));
    at += static_cast<std::size_t>(n);
  }
  // Ends the frame and resets the context for the next one, keeping its memory.
  filter.close(sink, std::ios_base::out);
  return out;
}

void append_unzstd(std::string_view frames, std::string& out) {
  try {
    io::filtering_istream in;
    in.push(io::zstd_decompressor());
    in.push(io::array_source(frames.data(), frames.size()));
    io::copy(in, io::back_inserter(out));
  } catch (const std::exception& e) {
    throw Error("RAW_FILE_CORRUPT", std::string("a stored raw file chunk does not decompress: ") + e.what());
  }
}

}  // namespace arcd::store
