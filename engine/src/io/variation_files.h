// The files of a video-variations folder, the same for every method that makes one (videogen,
// patchnn): input.mp4, variation_K.mp4 and .gif, contact_sheet.png.
#pragma once

#include <string>
#include <vector>

#include "atelier/video.h"

namespace atelier {

struct VariationFiles {
  std::string input;               // input.mp4
  std::vector<std::string> files;  // variation_K.mp4 and .gif, in order
  std::string contact_sheet;       // the input, then one row per variation
};

// variation_<k>.mp4 and .gif in `dir`; returns both paths.
std::vector<std::string> write_variation(const Video& variation, const std::string& dir, int k);

// input.mp4 and contact_sheet.png in `dir` (variations already written by write_variation).
void write_input_and_contact_sheet(const Video& input, const std::vector<Video>& variations,
                                   const std::string& dir, VariationFiles& files);

// Rows of `frames` evenly spaced frames, one row per video, every cell the first video's size.
Image contact_sheet(const std::vector<Video>& rows, int frames = 6);

}  // namespace atelier
