#include "support/etcd_server.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace berry::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

/// A loopback port nobody listens on now (the OS picks it). etcd cannot
/// be given port 0 and tell us what it got, so a start that finds the port
/// taken again is retried with new ones.
uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("no free port");
  ::close(fd);
  return ntohs(a.sin_port);
}

/// Whether etcd on the loopback port answers GET /health with "true" (it
/// binds its port before it has elected itself and serves).
bool healthy(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{0, 500000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    std::string req = "GET /health HTTP/1.0\r\n\r\n";
    if (::write(fd, req.data(), req.size()) == ssize_t(req.size())) {
      char buf[512];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0)
        answer.append(buf, size_t(n));
    }
  }
  ::close(fd);
  return answer.find("\"health\":\"true\"") != std::string::npos;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tmp_root() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

} // namespace

std::string etcd_binary() {
  if (const char* env = std::getenv("BERRY_ETCD_BIN"); env && *env)
    return env;
  for (const char* d : {"/usr/bin", "/usr/local/bin", "/usr/sbin"})
    if (fs::exists(std::string(d) + "/etcd"))
      return std::string(d) + "/etcd";
  return "";
}

etcd_server::etcd_server() {
  std::string pattern = tmp_root() + "/berry-etcd-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  for (int attempt = 0;; ++attempt) {
    try {
      start();
      return;
    } catch (const std::exception&) {
      stop();
      if (attempt == 2) {
        std::error_code ec;
        fs::remove_all(dir_, ec);
        throw;
      }
    }
  }
}

etcd_server::~etcd_server() {
  stop();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void etcd_server::start() {
  std::string bin = etcd_binary();
  if (bin.empty())
    throw std::runtime_error("etcd is not installed (.ci/install-deps)");
  client_port_ = free_port();
  peer_port_ = free_port();
  std::string client = "http://127.0.0.1:" + std::to_string(client_port_);
  std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
  fs::remove_all(dir_ + "/data");
  std::vector<std::string> args{bin,
                                "--name",
                                "t",
                                "--data-dir",
                                dir_ + "/data",
                                "--listen-client-urls",
                                client,
                                "--advertise-client-urls",
                                client,
                                "--listen-peer-urls",
                                peer,
                                "--initial-advertise-peer-urls",
                                peer,
                                "--initial-cluster",
                                "t=" + peer,
                                "--initial-cluster-state",
                                "new",
                                "--heartbeat-interval",
                                "50",
                                "--election-timeout",
                                "500",
                                "--unsafe-no-fsync",
                                "--logger",
                                "zap",
                                "--log-level",
                                "warn",
                                "--log-outputs",
                                dir_ + "/log"};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // Made before fork: the child only calls what is safe in a copy of a
  // multithreaded process.
  std::string err_path = dir_ + "/stderr";
  pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0)
    throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Dies with the test program, even on a crash of it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(1);
    // Its gateway's gRPC client logs to stderr: into the log, not the test's.
    int log = ::open(err_path.c_str(), O_CREAT | O_WRONLY, 0600);
    if (log >= 0) {
      ::dup2(log, 1);
      ::dup2(log, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("etcd exited: " + read_file(dir_ + "/log"));
    }
    if (healthy(client_port_))
      return;
    std::this_thread::sleep_for(20ms);
  }
  throw std::runtime_error("etcd did not start in 15 s: " +
                           read_file(dir_ + "/log"));
}

std::string etcd_server::url() const {
  return "http://127.0.0.1:" + std::to_string(client_port_);
}

void etcd_server::signal(int sig) {
  if (pid_ > 0)
    ::kill(pid_, sig);
}

void etcd_server::stop() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGCONT);
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  pid_ = -1;
}

} // namespace berry::test
