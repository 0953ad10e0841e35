// berry: the marketplace server. main reads the config, starts a node
// (node/node.hpp), waits for SIGTERM/SIGINT and stops the node in order.

#include <csignal>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/logging.hpp"
#include "node/import_command.hpp"
#include "node/node.hpp"
#include "node/seed_command.hpp"

namespace {

constexpr const char* usage =
    "usage: berry serve [options]   (berry serve --help)\n"
    "       berry import [options] FILE   (berry import --help)\n"
    "       berry seed --products N [--out FILE]   (berry seed --help)\n";

/// Blocks SIGINT and SIGTERM in every thread started after this, so that
/// only the main thread's sigwait sees them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

/// Runs a node until SIGINT or SIGTERM, then stops it in order.
int serve(const berry::server_config& cfg, sigset_t stop_signals) {
  berry::node node{cfg};
  auto port = node.start();
  std::cout << "listening on http://" << cfg.host << ":" << port << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  berry::log::info("stopping", {{"signal", sig}});
  node.stop();
  berry::log::info("stopped", {});
  return 0;
}

/// `berry import`: with the node stopped, no actors, no signals to wait for.
int import_command(const std::vector<std::string>& args) {
  for (auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << berry::import_help();
      return 0;
    }
  try {
    auto opts = berry::parse_import_args(args);
    berry::log::init("warn");
    return berry::run_import(opts, std::cout, std::cerr);
  } catch (const std::invalid_argument& e) {
    std::cerr << "berry import: " << e.what() << "\n" << berry::import_help();
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "berry import: " << e.what() << "\n";
    return 1;
  }
}

} // namespace

int main(int argc, char** argv) {
  // Before any thread starts (the logger's flusher is one), so that every
  // thread inherits the mask and only sigwait below sees these signals.
  auto stop_signals = block_stop_signals();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    std::cout << usage << "\n" << berry::serve_help();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "import")
    return import_command({args.begin() + 1, args.end()});
  if (args[0] == "seed") {
    if (args.size() > 1 && (args[1] == "--help" || args[1] == "-h")) {
      std::cout << berry::seed_help();
      return 0;
    }
    std::ios::sync_with_stdio(false);
    return berry::run_seed({args.begin() + 1, args.end()}, std::cout,
                           std::cerr);
  }
  if (args[0] != "serve") {
    std::cerr << "berry: unknown command '" << args[0] << "'\n" << usage;
    return 2;
  }
  args.erase(args.begin());
  for (auto& a : args)
    if (a == "--help" || a == "-h") {
      std::cout << berry::serve_help();
      return 0;
    }
  berry::server_config cfg;
  try {
    cfg = berry::load_config(args, berry::berry_environment());
  } catch (const std::exception& e) {
    std::cerr << "berry: " << e.what() << "\n";
    return 2;
  }
  berry::log::init(cfg.log_level);
  try {
    return serve(cfg, stop_signals);
  } catch (const std::exception& e) {
    berry::log::error("fatal", {{"error", e.what()}});
    std::cerr << "berry: " << e.what() << "\n";
    return 1;
  }
}
