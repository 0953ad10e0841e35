#pragma once

// Runs `berry import` and `berry seed` as a user would, for the import
// tests: the real binary, its exit code, its stdout and its stderr.

#include <fstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace berry::test {

/// What one run of a berry command printed, and how it ended.
struct tool_run {
  int exit_code = -1;
  std::string out; ///< stdout
  std::string err; ///< stderr
};

/// `berry import --data DIR [--db URL] <extra...>` (the store of DIR as
/// berry_server finds it), run to its end.
inline tool_run run_import(const std::string& dir,
                           std::vector<std::string> extra) {
  auto err_file = dir + "/import-stderr.txt";
  std::vector<std::string> argv{
      "/bin/sh", "-c",         "exec \"$@\" 2>\"" + err_file + "\"",
      "sh",      BERRY_BINARY, "import",
      "--data",  dir};
  if (on_postgres()) {
    argv.push_back("--db");
    argv.push_back(store_location(dir));
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  tool_run r;
  {
    child_process proc{argv};
    r.out = proc.read_all(300000);
    r.exit_code = proc.wait();
  }
  std::ifstream in(err_file);
  r.err.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

/// Writes `lines` to `path`, one per line.
inline void write_lines(const std::string& path,
                        const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& x : lines)
    out << x << "\n";
}

/// `berry seed --products N --out PATH`; true when it exited 0.
inline bool seed_file(const std::string& path, size_t n) {
  child_process proc{
      {BERRY_BINARY, "seed", "--products", std::to_string(n), "--out", path}};
  proc.read_all(120000);
  return proc.wait() == 0;
}

} // namespace berry::test
