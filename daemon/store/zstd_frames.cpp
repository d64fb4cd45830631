#include "store/zstd_frames.hpp"

#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/device/array.hpp>
#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/filter/zstd.hpp>
#include <boost/iostreams/filtering_stream.hpp>

#include "arcd/error.hpp"

namespace arcd::store {

namespace io = boost::iostreams;

std::string zstd_frame(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 8 + 64);
  {
    io::filtering_ostream os;
    os.push(io::zstd_compressor(io::zstd_params(1), 1u << 20), 1u << 20);  // large buffers: fewer calls into zstd
    os.push(io::back_inserter(out));
    os.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }  // the frame is finished when the stream closes
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
