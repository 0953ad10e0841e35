#pragma once

// A throwaway etcd for tests (tests/cluster, and the integration tests of
// `berry serve --etcd`): one member on loopback, on ports the OS says are
// free, with its data in a temporary directory that goes with it. It runs
// with short raft timings (so leases can be as short as 1 s) and without
// fsync. The destructor stops it (also when the test failed), and the
// kernel kills it should the test program die first.

#include <string>
#include <sys/types.h>

namespace berry::test {

/// The etcd program (BERRY_ETCD_BIN, else /usr/bin/etcd or
/// /usr/local/bin/etcd), or
/// "" when it is not installed.
std::string etcd_binary();

/// One running etcd member.
class etcd_server {
public:
  /// Starts it and waits until it answers /health. Throws
  /// std::runtime_error (with its log) when it does not.
  etcd_server();
  ~etcd_server();
  etcd_server(const etcd_server&) = delete;
  etcd_server& operator=(const etcd_server&) = delete;

  /// Its client URL, "http://127.0.0.1:PORT".
  std::string url() const;
  uint16_t client_port() const { return client_port_; }

  /// Sends `sig` to it (SIGSTOP/SIGCONT to freeze it).
  void signal(int sig);

  /// Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it.
  void stop();

private:
  void start();

  std::string dir_;
  pid_t pid_ = -1;
  uint16_t client_port_ = 0;
  uint16_t peer_port_ = 0;
};

} // namespace berry::test
