// Folders of images: listing (recursive, sorted) and loading with per-file warnings.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "atelier/dataset.h"
#include "atelier/error.h"

namespace fs = std::filesystem;

namespace atelier {

std::vector<std::string> read_image_list(const std::string& list) {
  std::error_code ec;
  if (!fs::is_regular_file(list, ec)) throw bad_input(list + ": not a list file");
  if (is_image_file_name(list)) {
    throw bad_input(list + ": a picture, not a folder or a list of pictures");
  }
  std::ifstream in(list, std::ios::binary);
  if (!in) throw bad_input(list + ": cannot read the list");
  const fs::path base = fs::path(list).parent_path();
  std::vector<std::string> files;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start, line.find_last_not_of(" \t") - start + 1);
    // The line itself is not quoted: a list may be some other file given by mistake.
    if (!is_image_file_name(line)) {
      throw bad_input(list + ": line " + std::to_string(number) +
                      " is not the path of a picture (png, jpg, jpeg, bmp, webp)");
    }
    const fs::path path(line);
    files.push_back((path.is_absolute() ? path : base / path).lexically_normal().string());
  }
  if (in.bad()) throw bad_input(list + ": cannot read the list");
  if (files.empty()) throw bad_input(list + ": the list names no picture");
  return files;
}

std::vector<std::string> list_image_files(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) throw bad_input(dir + ": image folder not found");
  if (fs::is_regular_file(dir, ec)) return read_image_list(dir);
  if (!fs::is_directory(dir, ec)) throw bad_input(dir + ": not a folder");

  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw bad_input(dir + ": cannot list the folder (" + ec.message() + ")");
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) throw bad_input(dir + ": cannot list the folder (" + ec.message() + ")");
    std::error_code entry_ec;
    if (it->is_regular_file(entry_ec) && is_image_file_name(it->path().string())) {
      files.push_back(it->path().string());
    }
  }
  if (ec) throw bad_input(dir + ": cannot list the folder (" + ec.message() + ")");
  if (files.empty()) {
    throw bad_input(dir + ": no image files (png, jpg, jpeg, bmp, webp) in the folder");
  }
  std::sort(files.begin(), files.end());
  return files;
}

ImageFolder load_image_folder(const std::string& dir, const ImageFolderOptions& options,
                              const WarningSink& warn) {
  if (options.size < 0 || options.max_images < 0 || options.min_images < 0) {
    throw usage_error(dir + ": image folder options must not be negative");
  }
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    throw usage_error(dir + ": shard " + std::to_string(options.shard_index) + " of " +
                      std::to_string(options.shard_count) + " does not exist");
  }
  const bool sharded = options.shard_count > 1;
  ImageFolder folder;
  const std::vector<std::string> paths = list_image_files(dir);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    if (options.max_images > 0 && folder.total >= options.max_images) break;
    ++folder.total;
    if (int(i % std::size_t(options.shard_count)) != options.shard_index) continue;
    Image image;
    try {
      image = load_image(path);
    } catch (const std::exception& e) {
      // load_image names the file in its messages; make sure the warning does even if not.
      std::string reason = e.what();
      if (reason.find(path) == std::string::npos) reason = path + ": " + reason;
      if (sharded) throw bad_input(reason + " (every image of a sharded folder must be readable)");
      folder.skipped.push_back(reason);
      if (warn) {
        warn("skipped " + reason);
      } else {
        spdlog::warn("skipped {}", reason);
      }
      --folder.total;
      continue;
    }
    if (options.size > 0 && (image.width != options.size || image.height != options.size)) {
      image = center_crop_square(image, options.size);
      ++folder.resized;
    }
    folder.images.push_back(std::move(image));
    folder.paths.push_back(path);
  }
  const int loaded = sharded ? folder.total : static_cast<int>(folder.images.size());
  if (loaded < options.min_images) {
    throw bad_input(dir + ": only " + std::to_string(loaded) + " readable image" +
                    (loaded == 1 ? "" : "s") + " (" + std::to_string(folder.skipped.size()) +
                    " skipped), at least " + std::to_string(options.min_images) + " needed");
  }
  return folder;
}

}  // namespace atelier
