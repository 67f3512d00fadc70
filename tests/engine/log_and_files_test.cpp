// The engine's own log formatting (core/log.h, used instead of fmt in files that include torch)
// and remove_tree (used instead of std::filesystem::remove_all, which LibTorch 2.x shadows).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "atelier/remove_tree.h"
#include "core/log.h"
#include "test_support.h"

namespace atelier {
namespace {

namespace fs = std::filesystem;

TEST(Log, FormatsPlaceholdersAndFixedPrecision) {
  EXPECT_EQ(log::text("{}: scale {}/{} took {:.1f} s", "singan", 2, 5, 3.26),
            "singan: scale 2/5 took 3.3 s");
  EXPECT_EQ(log::text("{:.0f} ms, {:.3f}", 41.6, 0.12345), "42 ms, 0.123");
  EXPECT_EQ(log::text("no placeholders"), "no placeholders");
  EXPECT_EQ(log::text("{} and {}", "one"), "one and {}") << "a missing argument stays visible";
}

TEST(RemoveTree, RemovesNestedFoldersButNotWhatALinkPointsTo) {
  test::TempDir dir;
  const fs::path kept = dir.path() / "kept.txt";
  std::ofstream(kept) << "keep me";
  const fs::path tree = dir.path() / "tree";
  fs::create_directories(tree / "a" / "b");
  std::ofstream(tree / "a" / "b" / "file.txt") << "x";
  std::ofstream(tree / "top.txt") << "y";
  ASSERT_EQ(symlink(kept.c_str(), (tree / "a" / "link").c_str()), 0);

  EXPECT_TRUE(remove_tree(tree.string()));
  EXPECT_FALSE(fs::exists(tree));
  EXPECT_TRUE(fs::exists(kept)) << "a link's target outside the tree is not removed";
  EXPECT_TRUE(remove_tree((dir.path() / "missing").string())) << "nothing to remove is no error";
}

}  // namespace
}  // namespace atelier
