// A labelled digit folder as make-dataset mnistm writes it: images and labels.csv (file,label).
#pragma once

#include <string>
#include <vector>

#include "atelier/image.h"

namespace atelier::oneshot {

struct LabelledImages {
  std::vector<Image> images;
  std::vector<int> labels;  // 0..9
};

// Reads dir/labels.csv and the images it names (at most `max_images`; 0: all), centre-cropped
// and resized to `size`. Error(BadInput) naming the file for a missing or malformed labels.csv,
// a label outside 0..9 or an image that cannot be read.
LabelledImages load_labelled_digits(const std::string& dir, int size, int max_images = 0);

}  // namespace atelier::oneshot
