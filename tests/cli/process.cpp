#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace atelier::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The fields of a /proc stat file from the state on (state, ppid, ...): the command name before
// them may hold spaces and parentheses, so they start after the last ')'.
std::vector<std::string> stat_fields(const std::string& path) {
  const std::string stat = first_line(path);
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(stat.substr(close + 1));
  return {std::istream_iterator<std::string>(rest), {}};
}

// `pid` and every process below it (xvfb-run's Xvfb and command, a launcher's engine).
std::vector<int> process_tree(int pid) {
  std::vector<std::pair<int, int>> parent_of;  // (pid, ppid) of every process
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::vector<std::string> fields = stat_fields(entry.path().string() + "/stat");
    if (fields.size() > 1) parent_of.emplace_back(std::stoi(name), std::stoi(fields[1]));
  }
  std::vector<int> tree{pid};
  for (std::size_t i = 0; i < tree.size(); ++i)
    for (const auto& [child, parent] : parent_of)
      if (parent == tree[i]) tree.push_back(child);
  return tree;
}

// What each thread of each process of the tree is doing: name, state, where it waits in the
// kernel and its CPU time.
std::string describe_threads(const std::vector<int>& tree) {
  std::string text;
  for (const int pid : tree) {
    const std::string proc = "/proc/" + std::to_string(pid);
    std::string command = slurp(proc + "/cmdline");
    std::replace(command.begin(), command.end(), '\0', ' ');
    text += "process " + std::to_string(pid) + ": " + command + "\n";
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator(proc + "/task", ec)) {
      const std::string dir = task.path().string();
      const std::vector<std::string> fields = stat_fields(dir + "/stat");
      if (fields.size() < 13) continue;
      // utime and stime, in clock ticks, are the 12th and 13th fields from the state on.
      const double cpu_s = (std::stod(fields[11]) + std::stod(fields[12])) /
                           static_cast<double>(sysconf(_SC_CLK_TCK));
      char line[256];
      std::snprintf(line, sizeof line, "  thread %s %-16s %s %-24s %.1f s CPU\n",
                    task.path().filename().c_str(), first_line(dir + "/comm").c_str(),
                    fields[0].c_str(), first_line(dir + "/wchan").c_str(), cpu_s);
      text += line;
    }
  }
  return text;
}

// Every thread's stack of the project's own programs in the tree (not of xvfb-run's shell or of
// Xvfb), where gdb is installed.
std::string stacks(const std::vector<int>& tree) {
  if (!std::filesystem::exists("/usr/bin/gdb")) return "";
  std::string text;
  for (const int pid : tree) {
    std::error_code ec;
    const std::string exe =
        std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec)
            .filename()
            .string();
    if (exe.find("atelier") == std::string::npos) continue;
    const std::string file = (std::filesystem::temp_directory_path() /
                              ("atelier-stacks-" + std::to_string(pid) + ".txt"))
                                 .string();
    const std::string gdb = "timeout 60 /usr/bin/gdb -p " + std::to_string(pid) +
                            " -batch -nx -ex 'thread apply all bt 40' > " + file + " 2>&1";
    if (std::system(gdb.c_str()) == 0)
      text += "stacks of process " + std::to_string(pid) + ":\n" + slurp(file);
    std::filesystem::remove(file, ec);
  }
  return text;
}

}  // namespace

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::function<bool(const std::string&)>& on_stdout_line,
                          int interrupt_after_ms) {
  using Clock = std::chrono::steady_clock;
  const auto interrupt_at = Clock::now() + std::chrono::milliseconds(interrupt_after_ms);
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);

  ProcessResult result;
  std::string pending;
  bool interrupted = false;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0) {
    int timeout_ms = -1;
    if (interrupt_after_ms >= 0 && !interrupted) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(interrupt_at - Clock::now());
      if (left.count() <= 0) {
        kill(pid, SIGINT);
        interrupted = true;
      } else {
        timeout_ms = static_cast<int>(left.count());
      }
    }
    if (poll(fds, 2, timeout_ms) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      if (i == 1) {
        result.err.append(buffer, n);
        continue;
      }
      result.out.append(buffer, n);
      pending.append(buffer, n);
      for (auto eol = pending.find('\n'); eol != std::string::npos; eol = pending.find('\n')) {
        const std::string line = pending.substr(0, eol);
        pending.erase(0, eol + 1);
        if (on_stdout_line && !interrupted && on_stdout_line(line)) {
          kill(pid, SIGINT);
          interrupted = true;
        }
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

BackgroundProcess start_process(const std::string& program, const std::vector<std::string>& args,
                                const std::string& out_path, const std::string& err_path) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) _exit(126);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  return {pid, out_path, err_path};
}

ProcessResult wait_process(const BackgroundProcess& process, int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  int status = 0;
  ProcessResult result;
  pid_t done = 0;
  while ((done = waitpid(process.pid, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string still_running;
  if (done == 0) {
    const std::vector<int> tree = process_tree(process.pid);
    still_running = describe_threads(tree);
    for (const int pid : tree) kill(pid, SIGSTOP);  // as they are now, while gdb looks
    still_running += stacks(tree);
    for (const int pid : tree) kill(pid, SIGKILL);
    waitpid(process.pid, &status, 0);
    result.exit_code = -2;
  } else {
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  result.out = slurp(process.out_path);
  result.err = slurp(process.err_path);
  if (!still_running.empty())
    result.err +=
        "\n[still running after " + std::to_string(timeout_ms) + " ms, killed]\n" + still_running;
  return result;
}

}  // namespace atelier::test
