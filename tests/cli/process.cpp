#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace atelier::test {

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
  if (done == 0) {
    kill(process.pid, SIGKILL);
    waitpid(process.pid, &status, 0);
    result.exit_code = -2;
  } else {
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  result.out = slurp(process.out_path);
  result.err = slurp(process.err_path);
  return result;
}

}  // namespace atelier::test
