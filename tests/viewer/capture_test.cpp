// The viewer's Save PNG: numbered files in the capture folder, earlier ones never overwritten,
// and a folder that cannot be written is a message, not a crash.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "atelier/image.h"
#include "test_support.h"
#include "viewer_panels.h"

using atelier::viewer::Capture;
using atelier::viewer::next_capture_file;
using atelier::viewer::save_capture;

TEST(Capture, SavesNumberedPngsWithoutOverwriting) {
  atelier::test::TempDir dir("viewer-capture");
  Capture capture;
  std::snprintf(capture.folder, sizeof(capture.folder), "%s", dir.path().string().c_str());
  const atelier::Image picture(5, 3, 3, 200);
  atelier::save_image(picture, dir.file("singan-00000.png"));  // a capture of an earlier session
  save_capture(capture, picture, "singan");
  EXPECT_FALSE(capture.failed) << capture.message;
  EXPECT_TRUE(std::filesystem::exists(dir.file("singan-00001.png"))) << capture.message;
  save_capture(capture, picture, "singan");
  const atelier::Image saved = atelier::load_image(dir.file("singan-00002.png"));
  EXPECT_EQ(saved.width, 5);
  EXPECT_EQ(saved.pixels, picture.pixels);
}

TEST(Capture, AFolderThatCannotBeWrittenIsAMessage) {
  atelier::test::TempDir dir("viewer-capture");
  Capture capture;
  std::snprintf(capture.folder, sizeof(capture.folder), "%s", dir.file("missing/folder").c_str());
  save_capture(capture, atelier::Image(2, 2, 3), "analogy");
  EXPECT_TRUE(capture.failed);
  EXPECT_NE(capture.message.find("missing"), std::string::npos) << capture.message;
}

// Save GIF's files: <method>-NNNNN.gif in the same folder, an existing one skipped.
TEST(Capture, GifsAreNumberedBesideThePngs) {
  atelier::test::TempDir dir("viewer-capture");
  Capture capture;
  std::snprintf(capture.folder, sizeof(capture.folder), "%s", dir.path().string().c_str());
  {
    std::FILE* f = std::fopen(dir.file("patchnn-00000.gif").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  EXPECT_EQ(next_capture_file(capture, capture.next_gif_number, "patchnn", "gif"),
            (dir.path() / "patchnn-00001.gif").string());
  EXPECT_EQ(capture.next_gif_number, 2);
  EXPECT_EQ(capture.next_number, 0);  // Save PNG's numbers are its own
}
