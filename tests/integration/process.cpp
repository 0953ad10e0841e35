#include "process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include "support/postgres_server.hpp"
#include "support/test_store.hpp"

extern char** environ;

namespace berry::test {

temp_dir::temp_dir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (;;) {
    auto p = base / ("berry-it-" + std::to_string(rd()));
    if (std::filesystem::create_directory(p)) {
      path = p.string();
      return;
    }
  }
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

child_process::child_process(std::vector<std::string> argv,
                             std::vector<std::string> env) {
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e)
    envs.emplace_back(*e);
  envs.insert(envs.end(), env.begin(), env.end());
  pid_ = fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : envs)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  out_fd_ = fds[0];
}

child_process::~child_process() {
  if (!exited_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
  if (out_fd_ >= 0)
    close(out_fd_);
}

std::string child_process::read_line(int timeout_ms) {
  for (;;) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      auto line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    pollfd p{out_fd_, POLLIN, 0};
    int r = poll(&p, 1, timeout_ms);
    if (r == 0)
      throw std::runtime_error("no output from child in time");
    if (r < 0 && errno == EINTR)
      continue;
    char buf[4096];
    auto n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) {
      auto rest = buffer_;
      buffer_.clear();
      return rest;
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

std::string child_process::read_all(int timeout_ms) {
  std::string out;
  for (;;) {
    bool had_newline = buffer_.find('\n') != std::string::npos;
    auto line = read_line(timeout_ms);
    if (line.empty() && !had_newline)
      return out;
    out += line + "\n";
  }
}

void child_process::signal(int sig) {
  if (!exited_)
    ::kill(pid_, sig);
}

int child_process::wait() {
  if (!exited_) {
    while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    exited_ = true;
  }
  if (WIFEXITED(status_))
    return WEXITSTATUS(status_);
  return 128 + WTERMSIG(status_);
}

bool on_postgres() {
  return on_postgres_store();
}

std::string store_location(const std::string& data_dir) {
  if (!on_postgres())
    return data_dir + "/berry.db";
  // One PostgreSQL per data dir, for as long as the test program runs.
  static std::map<std::string, std::unique_ptr<postgres_server>> servers;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock{mutex};
  auto& server = servers[data_dir];
  if (!server)
    server = std::make_unique<postgres_server>();
  return server->conninfo();
}

namespace {

std::vector<std::string> serve_args(const std::string& data_dir,
                                    std::vector<std::string> extra) {
  std::vector<std::string> args{BERRY_BINARY, "serve",  "--port",      "0",
                                "--data",     data_dir, "--log-level", "warn"};
  if (on_postgres()) {
    args.push_back("--db");
    args.push_back(store_location(data_dir));
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

} // namespace

berry_server::berry_server(const std::string& data_dir,
                           std::vector<std::string> extra,
                           std::vector<std::string> env)
    : proc_(serve_args(data_dir, std::move(extra)), std::move(env)) {
  const std::string prefix = "listening on http://";
  for (;;) {
    auto line = proc_.read_line();
    if (line.empty())
      throw std::runtime_error("berry exited before listening");
    auto at = line.find(prefix);
    if (at == std::string::npos)
      continue;
    auto colon = line.rfind(':');
    port_ = static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
    return;
  }
}

int berry_server::stop() {
  proc_.signal(SIGTERM);
  return proc_.wait();
}

void berry_server::kill9() {
  proc_.signal(SIGKILL);
  proc_.wait();
}

} // namespace berry::test
