// The .atl container: writing (temp file + rename) and exhaustive validation on reading.
#include "core/model_archive.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include "atelier/error.h"
#include "atelier/file_checks.h"
#include "atelier/image.h"
#include "atelier/json_text.h"
#include "atelier/version.h"
#include "io/atomic_file.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace atelier {
namespace {

constexpr char kMagic[8] = {'A', 'T', 'E', 'L', 'I', 'E', 'R', '\x1a'};
constexpr char kEndMarker[4] = {'L', 'T', 'A', '\x1a'};
constexpr std::uint64_t kAlignment = 64;
// magic + version + flags + json length + json crc + payload crc + end marker
constexpr std::uint64_t kFixedBytes = 8 + 4 + 4 + 8 + 4 + 4 + 4;
constexpr std::uint64_t kHeaderBytes = 8 + 4 + 4 + 8;

std::uint32_t crc_update(std::uint32_t crc, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const Bytef*>(data);
  while (size > 0) {  // zlib takes uInt lengths
    const uInt chunk = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc = static_cast<std::uint32_t>(::crc32(crc, bytes, chunk));
    bytes += chunk;
    size -= chunk;
  }
  return crc;
}

std::uint64_t align_up(std::uint64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

template <class T>
void append_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

template <class T>
T read_le(const unsigned char* bytes) {
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(bytes[i]) << (8 * i);
  return value;
}

std::string now_iso8601_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Writing

// The first number of `value` that is NaN or infinite ("state.noise_amps[2]"), or "" if none:
// JSON has no such numbers (they would be written as null, and the file never load again).
std::string non_finite_number(const json& value, const std::string& where) {
  if (value.is_number_float() && !std::isfinite(value.get<double>())) return where;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      std::string found = non_finite_number(item, where.empty() ? key : where + "." + key);
      if (!found.empty()) return found;
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::string found = non_finite_number(value[i], where + "[" + std::to_string(i) + "]");
      if (!found.empty()) return found;
    }
  }
  return {};
}

std::uint64_t expected_nbytes(const RawTensor& tensor) {
  std::uint64_t count = 1;
  for (std::int64_t dim : tensor.shape) count *= static_cast<std::uint64_t>(dim);
  return count * dtype_size(tensor.dtype);
}

// ---------------------------------------------------------------------------------------------
// Reading

struct Extent {
  std::string what;  // "tensor 'G.0.weight'" or "thumbnail"
  std::uint64_t offset = 0;
  std::uint64_t nbytes = 0;
  std::vector<std::uint8_t>* destination = nullptr;  // null: checksum only
};

class ArchiveReader {
 public:
  explicit ArchiveReader(std::string path) : path_(std::move(path)) {}

  RawModelArchive read(const std::string& expected_method, bool keep_tensors) {
    RawModelArchive archive;
    ModelInfo& info = archive.info;
    info.path = path_;
    open();
    info.file_size = file_size_;

    const json description = read_description(info);
    if (!expected_method.empty() && info.method != expected_method)
      fail("this model was trained with '" + info.method + "', not '" + expected_method + "'");

    const std::uint64_t payload_size = file_size_ - kFixedBytes - json_size_;
    std::vector<Extent> extents;
    std::vector<std::uint8_t> thumbnail_png;
    const json& thumbnail = field(description, "thumbnail", &json::is_object, "an object");
    extents.push_back({"the thumbnail", unsigned_field(thumbnail, "offset", "thumbnail."),
                       unsigned_field(thumbnail, "nbytes", "thumbnail."), &thumbnail_png});
    read_tensor_table(description, archive, keep_tensors, extents);
    check_extents(extents, payload_size);
    check_end_marker();
    read_payload(extents, payload_size);

    if (!thumbnail_png.empty()) {
      try {
        info.thumbnail = decode_image(thumbnail_png, path_ + " (thumbnail)");
      } catch (const Error&) {
        throw;
      } catch (const std::exception& e) {
        fail(std::string("bad thumbnail: ") + e.what());
      }
    }
    return archive;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw bad_input(path_ + ": " + problem);
  }

  void open() {
    require_regular_file(path_, "a model");
    std::error_code ec;
    file_size_ = fs::file_size(path_, ec);
    if (ec) fail("cannot read the file size: " + ec.message());
    in_.open(path_, std::ios::binary);
    if (!in_) fail("cannot open the file");
    if (file_size_ < sizeof kMagic) fail("not an Atelier model file (too short)");

    unsigned char header[kHeaderBytes];
    read_exact(header, sizeof kMagic);
    if (std::memcmp(header, kMagic, sizeof kMagic) != 0)
      fail("not an Atelier model file (wrong magic bytes)");
    if (file_size_ < kFixedBytes)
      fail("truncated: " + std::to_string(file_size_) + " bytes, a model file has at least " +
           std::to_string(kFixedBytes));
    read_exact(header + sizeof kMagic, kHeaderBytes - sizeof kMagic);
    const auto version = read_le<std::uint32_t>(header + 8);
    if (version != kModelFormatVersion)
      fail("format version " + std::to_string(version) + " is not supported (this build reads " +
           std::to_string(kModelFormatVersion) + ")");
    if (read_le<std::uint32_t>(header + 12) != 0) fail("unknown format flags");
    json_size_ = read_le<std::uint64_t>(header + 16);
    if (json_size_ > file_size_ - kFixedBytes)
      fail("truncated or corrupt: the description claims " + std::to_string(json_size_) +
           " bytes but the file has " + std::to_string(file_size_));
  }

  void read_exact(void* data, std::size_t size) {
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size));
    if (static_cast<std::size_t>(in_.gcount()) != size) fail("unexpected end of file");
  }

  std::uint32_t read_u32() {
    unsigned char bytes[4];
    read_exact(bytes, 4);
    return read_le<std::uint32_t>(bytes);
  }

  json read_description(ModelInfo& info) {
    std::string text(json_size_, '\0');
    read_exact(text.data(), text.size());
    if (read_u32() != crc_update(0, text.data(), text.size()))
      fail("description checksum mismatch (the file is corrupt)");
    const json root = parse_json_text(text, path_ + ": the description");
    if (!root.is_object()) fail("the description is not a JSON object");

    info.format_version = kModelFormatVersion;
    info.method = field(root, "method", &json::is_string, "a string").get<std::string>();
    if (info.method.empty()) fail("the description has an empty 'method'");
    info.preset = field(root, "preset", &json::is_string, "a string").get<std::string>();
    info.params = field(root, "params", &json::is_object, "an object");
    info.state = field(root, "state", &json::is_object, "an object");
    const json& step = field(root, "step", &json::is_number_integer, "an integer");
    if (step.is_number_unsigned()
            ? step.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()
            : step.get<std::int64_t>() < 0)
      fail("'step' is out of range");
    info.step = step.get<std::int64_t>();
    info.seed = unsigned_field(root, "seed", "");
    info.created = field(root, "created", &json::is_string, "a string").get<std::string>();
    info.finished = field(root, "finished", &json::is_boolean, "a boolean").get<bool>();
    info.atelier_version =
        field(root, "atelier_version", &json::is_string, "a string").get<std::string>();
    return root;
  }

  const json& field(const json& object, const std::string& key, bool (json::*is)() const noexcept,
                    const std::string& kind, const std::string& where = "") const {
    const auto it = object.find(key);
    if (it == object.end()) fail("the description lacks '" + where + key + "'");
    if (!((*it).*is)()) fail("'" + where + key + "' in the description must be " + kind);
    return *it;
  }

  std::uint64_t unsigned_field(const json& object, const std::string& key,
                               const std::string& where) const {
    return field(object, key, &json::is_number_unsigned, "a non-negative integer", where)
        .get<std::uint64_t>();
  }

  void read_tensor_table(const json& root, RawModelArchive& archive, bool keep_tensors,
                         std::vector<Extent>& extents) {
    const json& table = field(root, "tensors", &json::is_array, "an array");
    std::set<std::string> names;
    for (std::size_t i = 0; i < table.size(); ++i) {
      const json& entry = table[i];
      const std::string where = "tensors[" + std::to_string(i) + "].";
      if (!entry.is_object()) fail("'" + where.substr(0, where.size() - 1) + "' is not an object");
      TensorRecord record;
      record.name = field(entry, "name", &json::is_string, "a string", where).get<std::string>();
      if (record.name.empty()) fail("a tensor has an empty name");
      const std::string what = "tensor '" + record.name + "'";
      record.dtype = field(entry, "dtype", &json::is_string, "a string", where).get<std::string>();
      const std::size_t element_size = dtype_size(record.dtype);
      if (element_size == 0) fail(what + " has an unknown dtype '" + record.dtype + "'");
      std::uint64_t count = 1;
      bool overflow = false;
      for (const json& dim : field(entry, "shape", &json::is_array, "an array", where)) {
        if (!dim.is_number_unsigned()) fail(what + " has a bad shape " + dim.dump());
        const auto d = dim.get<std::uint64_t>();
        if (d > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          fail(what + " has a bad shape");
        if (d != 0 && count > std::numeric_limits<std::uint64_t>::max() / d) overflow = true;
        count *= d;
        record.shape.push_back(static_cast<std::int64_t>(d));
      }
      if (count != 0 && element_size > std::numeric_limits<std::uint64_t>::max() / count)
        overflow = true;
      const std::uint64_t offset = unsigned_field(entry, "offset", where);
      const std::uint64_t nbytes = unsigned_field(entry, "nbytes", where);
      if (overflow || count * element_size != nbytes)
        fail(what + ": shape and dtype do not match its " + std::to_string(nbytes) + " bytes");

      if (!names.insert(record.name).second) fail(what + " appears twice");
      RawTensor* tensor = nullptr;  // extents point into the map: its nodes never move
      if (keep_tensors) {
        tensor = &archive.tensors[record.name];
        tensor->dtype = record.dtype;
        tensor->shape = record.shape;
      }
      extents.push_back({what, offset, nbytes, tensor ? &tensor->bytes : nullptr});
      archive.info.tensors.push_back(std::move(record));
    }
  }

  void check_extents(std::vector<Extent>& extents, std::uint64_t payload_size) const {
    for (const Extent& e : extents)
      if (e.offset > payload_size || e.nbytes > payload_size - e.offset)
        fail(e.what + " lies outside the payload (the file is truncated or corrupt)");
    std::stable_sort(extents.begin(), extents.end(),
                     [](const Extent& a, const Extent& b) { return a.offset < b.offset; });
    const Extent* previous = nullptr;
    for (const Extent& e : extents) {
      if (e.nbytes == 0) continue;
      if (previous && previous->offset + previous->nbytes > e.offset)
        fail(e.what + " overlaps " + previous->what);
      previous = &e;
    }
  }

  void check_end_marker() {
    char marker[sizeof kEndMarker];
    in_.seekg(static_cast<std::streamoff>(file_size_ - sizeof kEndMarker));
    read_exact(marker, sizeof marker);
    if (std::memcmp(marker, kEndMarker, sizeof marker) != 0)
      fail("missing end marker (the file is truncated or corrupt)");
    in_.seekg(static_cast<std::streamoff>(kHeaderBytes + json_size_ + 4));
  }

  // Streams the payload once, in file order: every byte goes through the checksum, and each
  // extent's bytes land in its destination (allocated only now that its size is known to fit).
  void read_payload(const std::vector<Extent>& extents, std::uint64_t payload_size) {
    std::uint32_t crc = 0;
    std::uint64_t position = 0;
    std::vector<char> scratch(1 << 16);
    auto pass_through = [&](std::uint64_t until) {
      while (position < until) {
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(until - position, scratch.size()));
        read_exact(scratch.data(), n);
        crc = crc_update(crc, scratch.data(), n);
        position += n;
      }
    };
    for (const Extent& e : extents) {
      if (e.nbytes == 0) continue;
      pass_through(e.offset);
      if (e.destination) {
        e.destination->resize(e.nbytes);
        read_exact(e.destination->data(), e.nbytes);
        crc = crc_update(crc, e.destination->data(), e.nbytes);
        position += e.nbytes;
      } else {
        pass_through(e.offset + e.nbytes);
      }
    }
    pass_through(payload_size);
    if (read_u32() != crc) fail("payload checksum mismatch (the file is corrupt)");
  }

  std::string path_;
  std::ifstream in_;
  std::uint64_t file_size_ = 0;
  std::uint64_t json_size_ = 0;
};

}  // namespace

std::size_t dtype_size(const std::string& dtype) {
  if (dtype == "float32" || dtype == "int32") return 4;
  if (dtype == "float64" || dtype == "int64") return 8;
  if (dtype == "float16" || dtype == "bfloat16") return 2;
  if (dtype == "uint8" || dtype == "bool") return 1;
  return 0;
}

void write_raw_model_archive(const std::string& path, const RawModelArchive& archive) {
  const ModelInfo& info = archive.info;
  const std::vector<std::uint8_t> thumbnail =
      info.thumbnail.empty() ? std::vector<std::uint8_t>() : encode_png(info.thumbnail);

  // Layout: the thumbnail at payload offset 0, then every tensor 64-byte aligned.
  json tensors = json::array();
  std::uint64_t end = thumbnail.size();
  for (const auto& [name, tensor] : archive.tensors) {
    if (dtype_size(tensor.dtype) == 0)
      throw Error(ErrorKind::Internal,
                  path + ": tensor '" + name + "' has unknown dtype '" + tensor.dtype + "'");
    for (std::int64_t dim : tensor.shape)
      if (dim < 0)
        throw Error(ErrorKind::Internal, path + ": tensor '" + name + "' has a bad shape");
    if (expected_nbytes(tensor) != tensor.bytes.size())
      throw Error(ErrorKind::Internal, path + ": tensor '" + name + "' holds " +
                                           std::to_string(tensor.bytes.size()) +
                                           " bytes, its shape and dtype need " +
                                           std::to_string(expected_nbytes(tensor)));
    const std::uint64_t offset = align_up(end);
    tensors.push_back({{"name", name},
                       {"dtype", tensor.dtype},
                       {"shape", tensor.shape},
                       {"offset", offset},
                       {"nbytes", tensor.bytes.size()}});
    end = offset + tensor.bytes.size();
  }

  const json description = {
      {"method", info.method},
      {"preset", info.preset},
      {"params", info.params.is_null() ? json::object() : info.params},
      {"state", info.state.is_null() ? json::object() : info.state},
      {"step", info.step},
      {"seed", info.seed},
      {"created", info.created.empty() ? now_iso8601_utc() : info.created},
      {"finished", info.finished},
      {"atelier_version", info.atelier_version.empty() ? ATELIER_VERSION : info.atelier_version},
      {"tensors", std::move(tensors)},
      {"thumbnail", {{"offset", 0}, {"nbytes", thumbnail.size()}}},
  };
  if (const std::string at = non_finite_number(description, ""); !at.empty())
    throw bad_input(path + ": '" + at +
                    "' is NaN or infinite (the training diverged); the model was not written");
  std::string text = json_text(description);
  // Trailing spaces (valid JSON) put the payload at a 64-byte aligned file offset.
  text.append(align_up(kHeaderBytes + text.size() + 4) - (kHeaderBytes + text.size() + 4), ' ');

  std::string header(kMagic, sizeof kMagic);
  append_le<std::uint32_t>(header, kModelFormatVersion);
  append_le<std::uint32_t>(header, 0);
  append_le<std::uint64_t>(header, text.size());
  std::string json_crc;
  append_le<std::uint32_t>(json_crc, crc_update(0, text.data(), text.size()));

  io::AtomicFile file(path);
  file.write(header.data(), header.size());
  file.write(text.data(), text.size());
  file.write(json_crc.data(), json_crc.size());

  static const std::array<std::uint8_t, kAlignment> zeros{};
  std::uint32_t crc = 0;
  std::uint64_t position = 0;
  auto put = [&](const void* data, std::size_t size) {
    file.write(data, size);
    crc = crc_update(crc, data, size);
    position += size;
  };
  put(thumbnail.data(), thumbnail.size());
  for (const auto& [name, tensor] : archive.tensors) {
    put(zeros.data(), static_cast<std::size_t>(align_up(position) - position));
    put(tensor.bytes.data(), tensor.bytes.size());
  }
  std::string trailer;
  append_le<std::uint32_t>(trailer, crc);
  trailer.append(kEndMarker, sizeof kEndMarker);
  file.write(trailer.data(), trailer.size());
  file.commit();
}

RawModelArchive read_raw_model_archive(const std::string& path,
                                       const std::string& expected_method) {
  return ArchiveReader(path).read(expected_method, /*keep_tensors=*/true);
}

ModelInfo read_model_archive_info(const std::string& path) {
  return ArchiveReader(path).read("", /*keep_tensors=*/false).info;
}

}  // namespace atelier
