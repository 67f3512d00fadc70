#include "methods/oneshot/labelled_folder.h"

#include <fstream>
#include <sstream>

#include "atelier/error.h"
#include "methods/oneshot/data.h"

namespace atelier::oneshot {

LabelledImages load_labelled_digits(const std::string& dir, int size, int max_images) {
  const std::string csv = dir + "/labels.csv";
  std::ifstream in(csv);
  if (!in) throw bad_input(csv + ": missing (a labelled folder of make-dataset mnistm is needed)");
  std::string line;
  if (!std::getline(in, line) || line.rfind("file,label", 0) != 0) {
    throw bad_input(csv + ": the first line must be the header file,label");
  }
  LabelledImages out;
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (max_images > 0 && static_cast<int>(out.images.size()) >= max_images) break;
    const auto comma = line.rfind(',');
    const std::string file = comma == std::string::npos ? "" : line.substr(0, comma);
    const std::string label = comma == std::string::npos ? "" : line.substr(comma + 1);
    if (file.empty() || file.find('/') != std::string::npos || label.size() != 1 ||
        label[0] < '0' || label[0] > '9') {
      throw bad_input(csv + ": line " + std::to_string(number) +
                      " is not 'file,digit' with a file of this folder");
    }
    out.images.push_back(fit_image(load_image(dir + "/" + file), size));
    out.labels.push_back(label[0] - '0');
  }
  if (out.images.empty()) throw bad_input(csv + ": no labelled images");
  return out;
}

}  // namespace atelier::oneshot
