#pragma once

// HAProxy in front of berry nodes, for the cluster tests that go through it:
// started with examples/cluster/haproxy.cfg (the config the example and a
// real deployment use), on a loopback port the OS says is free.

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_client.hpp"
#include "process.hpp"

namespace berry::test {

/// The haproxy program, or "" when it is not installed.
inline std::string haproxy_binary() {
  for (const char* p :
       {"/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"})
    if (::access(p, X_OK) == 0)
      return p;
  return "";
}

/// A loopback port nobody listens on now (HAProxy cannot report the port
/// it got for 0).
inline uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// HAProxy balancing over three berry nodes' ports; stopped at the end.
class haproxy_server {
public:
  explicit haproxy_server(const std::vector<uint16_t>& nodes)
      : port_(free_loopback_port()) {
    std::vector<std::string> env{"BERRY_LB_BIND=127.0.0.1:" +
                                 std::to_string(port_)};
    for (size_t i = 0; i < nodes.size(); ++i)
      env.push_back("BERRY_NODE" + std::to_string(i + 1) +
                    "=127.0.0.1:" + std::to_string(nodes[i]));
    proc_ = std::make_unique<child_process>(
        std::vector<std::string>{haproxy_binary(), "-db", "-f",
                                 std::string{BERRY_SOURCE_DIR} +
                                     "/examples/cluster/haproxy.cfg"},
        env);
  }
  ~haproxy_server() {
    proc_->signal(SIGTERM);
    proc_->wait();
  }
  haproxy_server(const haproxy_server&) = delete;
  haproxy_server& operator=(const haproxy_server&) = delete;

  uint16_t port() const { return port_; }

  /// Waits until it answers GET /readyz with 200; false after 10 s.
  bool wait_serving() {
    using namespace std::chrono_literals;
    auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
      try {
        if (get(port_, "/readyz").status == 200)
          return true;
      } catch (const std::exception&) {
        // not listening yet
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

private:
  uint16_t port_;
  std::unique_ptr<child_process> proc_;
};

} // namespace berry::test
