#include "other_ranks.h"

#include <QCoreApplication>
#include <QThread>
#include <algorithm>
#include <filesystem>

#include "atelier/error.h"

namespace atelier::ui {
namespace {

// atelier-cli-engine, which runs the other ranks: $ATELIER_CLI_ENGINE, else beside the studio
// in a build tree (app/cli) or in <prefix>/libexec/atelier once installed.
std::string engine_binary() {
  const QByteArray given = qgetenv("ATELIER_CLI_ENGINE");
  if (!given.isEmpty()) return given.toStdString();
  const std::filesystem::path here = QCoreApplication::applicationDirPath().toStdString();
  for (const std::filesystem::path& candidate :
       {here.parent_path() / "cli" / "atelier-cli-engine",
        here.parent_path() / "libexec" / "atelier" / "atelier-cli-engine"}) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
  }
  throw atelier::bad_input(
      "atelier-cli-engine, which trains the other processes, is not installed beside the studio; "
      "set Preferences > Training processes to 1");
}

}  // namespace

OtherRanks::OtherRanks(const std::vector<std::string>& train_args, int processes,
                       const std::string& rendezvous) {
  const std::string program = engine_binary();
  for (int rank = 1; rank < processes; ++rank) {
    std::vector<std::string> args = {program};
    args.insert(args.end(), train_args.begin(), train_args.end());
    args.insert(args.end(), {"--world-size", std::to_string(processes), "--rank",
                             std::to_string(rank), "--rendezvous", rendezvous});
    ranks_.push_back(
        std::make_unique<atelier::ChildProcess>(program, args, "/dev/null", "/dev/null"));
  }
}

OtherRanks::~OtherRanks() {
  for (auto& rank : ranks_) rank->wait(kGraceMs);  // then killed by its destructor
}

std::unique_ptr<OtherRanks> startOtherRanks(const std::vector<std::string>& method_args,
                                            int processes, atelier::TrainOptions& rank0) {
  if (processes <= 1) return nullptr;
  constexpr int kTimeout_s = 60;
  // The cores are shared out between the ranks.
  const int threads = std::max(1, QThread::idealThreadCount() / processes);
  rank0.compute.threads = threads;
  rank0.distributed = {processes, 0, "127.0.0.1:" + std::to_string(atelier::free_local_port()),
                       kTimeout_s};
  std::vector<std::string> args = {"train"};
  args.insert(args.end(), method_args.begin(), method_args.end());
  args.insert(args.end(), {"--out", rank0.out, "--threads", std::to_string(threads), "--device",
                           rank0.compute.device, "--checkpoint-every", "0", "--rendezvous-timeout",
                           std::to_string(kTimeout_s)});
  if (!rank0.resume.empty()) args.insert(args.end(), {"--resume", rank0.resume});
  return std::make_unique<OtherRanks>(args, processes, rank0.distributed.rendezvous);
}

}  // namespace atelier::ui
