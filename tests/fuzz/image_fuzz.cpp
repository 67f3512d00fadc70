// Fuzz target: pictures (PNG, JPEG, BMP, WebP and anything else OpenCV might recognise) through
// decode_image, the code every picture the program reads goes through.
#include <cstdint>
#include <vector>

#include "atelier/error.h"
#include "atelier/image.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes(data, data + size);
  for (const bool keep_channels : {false, true}) {
    try {
      const atelier::Image image = atelier::decode_image(bytes, "fuzz input", keep_channels);
      if (image.pixels.size() != image.stride() * static_cast<std::size_t>(image.height))
        __builtin_trap();  // a decoded picture must hold exactly its pixels
    } catch (const atelier::Error&) {
      // refused with a message: what a damaged picture should get
    }
  }
  return 0;
}
