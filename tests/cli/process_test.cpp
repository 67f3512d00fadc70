// The tests' child-process helpers: a child still running at its limit is described and killed
// together with every process it started (a viewer under xvfb-run, the CLI's engine).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "process.h"
#include "test_support.h"

namespace atelier::test {
namespace {

// Whether `pid` still runs (a killed process that its new parent has not reaped yet is a zombie).
bool running(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

TEST(Process, AChildStillRunningAtItsLimitIsDescribedAndKilledWithItsChildren) {
  const TempDir dir("process-test");
  const std::string pid_file = dir.file("grandchild");
  const BackgroundProcess shell =
      start_process("/bin/sh",
                    {"-c", "sleep 60 & echo $! > " + pid_file + ".tmp; mv " + pid_file + ".tmp " +
                               pid_file + "; wait"},
                    dir.file("out"), dir.file("err"));
  int grandchild = 0;
  for (int i = 0; i < 500 && !(std::ifstream(pid_file) >> grandchild); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GT(grandchild, 0) << "the shell did not start its child";

  const ProcessResult result = wait_process(shell, 300);
  EXPECT_EQ(result.exit_code, -2);
  EXPECT_NE(result.err.find("still running after 300 ms, killed"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("sleep 60"), std::string::npos) << result.err;  // the grandchild
  EXPECT_NE(result.err.find("thread " + std::to_string(grandchild)), std::string::npos)
      << result.err;
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = !running(grandchild);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "the grandchild " << grandchild << " outlived its parent's limit";
}

TEST(Process, AChildThatEndsInTimeIsNotDescribed) {
  const TempDir dir("process-test");
  const ProcessResult result = wait_process(
      start_process("/bin/sh", {"-c", "echo done; exit 3"}, dir.file("out"), dir.file("err")),
      10'000);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "done\n");
  EXPECT_EQ(result.err.find("still running"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace atelier::test
