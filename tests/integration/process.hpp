#pragma once

// Starts the real `berry` binary as a child process, on port 0 with a
// temporary data dir, and waits for its "listening on" line.

#include <string>
#include <sys/types.h>
#include <vector>

namespace berry::test {

/// A temporary directory, removed with everything in it at the end.
struct temp_dir {
  std::string path;
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

/// A running child process with its stdout readable line by line.
class child_process {
public:
  /// Starts `argv[0]` with `argv`; extra environment in `env` ("K=V").
  child_process(std::vector<std::string> argv,
                std::vector<std::string> env = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// The next line of stdout, or "" at its end; gives up after `timeout_ms`.
  std::string read_line(int timeout_ms = 30000);
  /// Everything left on stdout until the child closes it.
  std::string read_all(int timeout_ms = 30000);
  /// Sends `sig`.
  void signal(int sig);
  /// Waits for the exit; returns the exit code, or 128 + signal number.
  int wait();
  pid_t pid() const { return pid_; }

private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool exited_ = false;
  int status_ = 0;
};

/// True when the servers under test keep their state in PostgreSQL
/// (BERRY_TEST_STORE=postgres): each data dir then gets its own throwaway
/// PostgreSQL (tests/support), kept for the rest of the test program, so a
/// restart on the same data dir finds the same database.
bool on_postgres();

/// Where the server on `data_dir` keeps its state, for database::open: its
/// berry.db, or the connection string of its PostgreSQL.
std::string store_location(const std::string& data_dir);

/// The berry server under test.
class berry_server {
public:
  /// Starts `berry serve --port 0 --data DIR` plus `extra` flags, with
  /// `env` ("K=V") added to the environment.
  explicit berry_server(const std::string& data_dir,
                        std::vector<std::string> extra = {},
                        std::vector<std::string> env = {});
  uint16_t port() const { return port_; }
  child_process& process() { return proc_; }
  /// SIGTERM, then the exit code.
  int stop();
  /// SIGKILL, no chance to clean up.
  void kill9();

private:
  child_process proc_;
  uint16_t port_ = 0;
};

} // namespace berry::test
