#pragma once

// Berry's configuration: defaults, overridden by a CAF-style ini file, then by
// BERRY_* environment variables, then by command-line flags.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/cluster_options.hpp"
#include "config/limits.hpp"

namespace berry {

/// Everything `berry serve` can be told.
struct server_config {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string data_dir = "data";
  /// A PostgreSQL connection string (postgresql://... or key=value); empty:
  /// SQLite's berry.db in data_dir.
  std::string db;
  bool seed = true;
  double time_scale = 1.0;
  /// Asio threads of the edge.
  int io_threads = 2;
  /// Threads that run catalog searches on their own read connections.
  int read_threads = 2;
  size_t max_connections = 10000;
  std::chrono::milliseconds idle_timeout{30000};
  std::chrono::milliseconds drain_timeout{10000};
  size_t body_limit = 64 * 1024;
  size_t header_limit = 8 * 1024;
  /// SQLite's synchronous pragma for the journal: full, normal or off.
  std::string synchronous = "full";
  /// Most batches the journal gathers into one transaction.
  int journal_max_batch = 512;
  /// How long a warehouse holds a reservation its order never came back for.
  std::chrono::milliseconds reservation_ttl{900000};
  /// How long the payment actor waits for one provider answer before it
  /// asks the provider for the payment's status (longer than tok_slow's 2 s).
  std::chrono::milliseconds payment_timeout{5000};
  /// How long the built-in payment provider takes to answer (0: at once,
  /// for benchmarks of the engine itself).
  std::chrono::milliseconds payment_latency{20};
  std::string log_level = "info";
  /// How long POST /checkout waits for the saga before answering 202.
  std::chrono::milliseconds checkout_deadline{10000};
  /// How long a bearer token is valid (--token-ttl-s).
  std::chrono::seconds token_ttl{86400};
  /// Frames a tracking WebSocket may have queued before its client (which
  /// does not read) is dropped.
  size_t ws_queue_frames = 64;
  /// Idle timeout of tracking sockets: a ping after half of it without
  /// data from the client, a close after the rest without a pong.
  std::chrono::milliseconds ws_idle_timeout{300000};
  /// SO_SNDBUF of tracking sockets; 0 leaves the OS default.
  int ws_send_buffer = 0;
  /// The storefront's folder; empty means web/ beside the sources.
  std::string web_root;
  /// The ini file read, if any.
  std::string config_file;
  /// From BERRY_ADMIN_EMAIL and BERRY_ADMIN_PASSWORD only.
  std::string admin_email;
  std::string admin_password;
  /// Rate limits, proxies, origins, /metrics (config/limits.hpp).
  abuse_config abuse;
  /// Membership of a cluster (config/cluster_options.hpp); off by default.
  cluster_config cluster;
};

/// One option: its flag name, its ini/env key, its help line.
struct option_info {
  std::string flag; ///< e.g. "port" for --port
  std::string env;  ///< e.g. "BERRY_PORT"
  std::string help;
  bool is_switch = false; ///< takes no value (--no-seed)
};

/// Every option of `berry serve`, in the order --help lists them.
const std::vector<option_info>& serve_options();

/// The --help text of `berry serve`.
std::string serve_help();

/// Parses a CAF-style ini text: `[section]` headers, `key = value` lines,
/// `;` or `#` comments, quoted strings. Keys come out as "section.key", or
/// plain "key" before any section. Throws std::invalid_argument on bad lines.
std::map<std::string, std::string> parse_ini(const std::string& text);

/// Applies one option (by flag name) to `cfg`. Throws std::invalid_argument
/// when the name is unknown or the value does not parse.
void apply_option(server_config& cfg, const std::string& flag,
                  const std::string& value);

/// Builds the configuration from the defaults, the ini file (--config FILE,
/// BERRY_CONFIG, or ./berry.ini when present), `env` and `args` (the
/// arguments after "serve"), each overriding the one before. Throws
/// std::invalid_argument with a readable message on bad input.
server_config load_config(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env);

/// The BERRY_* variables of this process's environment.
std::map<std::string, std::string> berry_environment();

} // namespace berry
