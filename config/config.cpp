#include "config/config.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern "C" char** environ;

namespace berry {

namespace {

// The abuse limits' options (config/limits.cpp) and the cluster's
// (config/cluster_options.cpp) follow the table below.
std::vector<option_info> with_abuse_options(std::vector<option_info> own) {
  for (auto& o : abuse_options())
    own.push_back(o);
  for (auto& o : cluster_options())
    own.push_back(o);
  return own;
}

const std::vector<option_info> options = with_abuse_options({
    {"host", "BERRY_HOST", "address to listen on (default 127.0.0.1)"},
    {"port", "BERRY_PORT", "HTTP port; 0 picks a free one (default 8080)"},
    {"data", "BERRY_DATA",
     "data directory, created if missing (default ./data)"},
    {"db", "BERRY_DB",
     "keep all state in PostgreSQL: a libpq connection string "
     "(postgresql://... or key=value; several hosts with "
     "target_session_attrs=read-write); default SQLite in --data"},
    {"no-seed", "BERRY_NO_SEED", "do not seed the demo marketplace", true},
    {"time-scale", "BERRY_TIME_SCALE",
     "run simulated logistics N times faster (default 1)"},
    {"config", "BERRY_CONFIG", "ini file to read (default ./berry.ini if any)"},
    {"io-threads", "BERRY_IO_THREADS", "Asio threads of the edge (default 2)"},
    {"read-threads", "BERRY_READ_THREADS",
     "threads running catalog searches (default 2)"},
    {"max-connections", "BERRY_MAX_CONNECTIONS",
     "open connections before new ones get 503 (default 10000)"},
    {"idle-timeout-ms", "BERRY_IDLE_TIMEOUT_MS",
     "cut a client that sends nothing this long (default 30000)"},
    {"drain-timeout-ms", "BERRY_DRAIN_TIMEOUT_MS",
     "longest wait for in-flight requests on shutdown (default 10000)"},
    {"synchronous", "BERRY_SYNCHRONOUS",
     "SQLite synchronous mode of the journal: full, normal, off (default "
     "full)"},
    {"journal-max-batch", "BERRY_JOURNAL_MAX_BATCH",
     "most writes in one journal transaction (default 512)"},
    {"reservation-ttl-ms", "BERRY_RESERVATION_TTL_MS",
     "how long stock stays reserved for an unfinished order (default 900000)"},
    {"checkout-deadline-ms", "BERRY_CHECKOUT_DEADLINE_MS",
     "how long a checkout waits for payment before answering 202 "
     "(default 10000)"},
    {"payment-timeout-ms", "BERRY_PAYMENT_TIMEOUT_MS",
     "how long one payment provider answer may take before its status is "
     "asked (default 5000)"},
    {"payment-latency-ms", "BERRY_PAYMENT_LATENCY_MS",
     "how long the built-in payment provider takes to answer; 0 for "
     "benchmarks of the engine itself (default 20)"},
    {"token-ttl-s", "BERRY_TOKEN_TTL_S",
     "how long a bearer token from login or register is valid (default "
     "86400)"},
    {"log-level", "BERRY_LOG_LEVEL",
     "trace, debug, info, warn, error (default info)"},
    {"web-root", "BERRY_WEB_ROOT", "folder of the storefront (default web/)"},
    {"ws-queue-frames", "BERRY_WS_QUEUE_FRAMES",
     "frames a tracking socket may have waiting before its client, not "
     "reading, is dropped (default 64)"},
    {"ws-idle-timeout-ms", "BERRY_WS_IDLE_TIMEOUT_MS",
     "a tracking socket that sends nothing for half this long is pinged, and "
     "closed when the other half passes without a pong (default 300000, "
     "Beast's suggestion)"},
    {"ws-send-buffer", "BERRY_WS_SEND_BUFFER",
     "SO_SNDBUF of tracking sockets in bytes, 0 = the OS default (default 0)"},
});

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

const option_info* find_option(const std::string& flag) {
  for (auto& o : options)
    if (o.flag == flag)
      return &o;
  return nullptr;
}

long long to_int(const std::string& flag, const std::string& v, long long lo,
                 long long hi) {
  char* end = nullptr;
  errno = 0;
  auto x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno != 0 || x < lo || x > hi)
    throw std::invalid_argument("--" + flag + ": expected an integer in [" +
                                std::to_string(lo) + ", " + std::to_string(hi) +
                                "], got '" + v + "'");
  return x;
}

bool to_bool(const std::string& flag, const std::string& v) {
  if (v.empty() || v == "true" || v == "1" || v == "yes" || v == "on")
    return true;
  if (v == "false" || v == "0" || v == "no" || v == "off")
    return false;
  throw std::invalid_argument("--" + flag + ": expected true or false, got '" +
                              v + "'");
}

std::string unquote(const std::string& v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size())
        ++i;
      out += v[i];
    }
    return out;
  }
  return v;
}

} // namespace

const std::vector<option_info>& serve_options() {
  return options;
}

std::string serve_help() {
  std::ostringstream out;
  out << "usage: berry serve [options]\n\n"
         "Starts the Berry marketplace server.\n"
         "Each option can also be set in the ini file (the flag\n"
         "without dashes, e.g. `port = 8080` under [berry]) or in the "
         "environment;\n"
         "flags override the environment, which overrides the file.\n\n";
  for (auto& o : options) {
    std::string left = "  --" + o.flag + (o.is_switch ? "" : " VALUE");
    if (left.size() < 28)
      left.resize(28, ' ');
    out << left << " " << o.help << "  [" << o.env << "]\n";
  }
  out << "  --help                       this text\n\n"
         "BERRY_ADMIN_EMAIL and BERRY_ADMIN_PASSWORD (environment only) "
         "create or reset\nthat admin account at start.\n";
  return out.str();
}

std::map<std::string, std::string> parse_ini(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  std::string section;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    auto t = trim(line);
    if (t.empty() || t[0] == ';' || t[0] == '#')
      continue;
    if (t[0] == '[') {
      if (t.back() != ']')
        throw std::invalid_argument("ini line " + std::to_string(lineno) +
                                    ": unterminated section");
      section = trim(t.substr(1, t.size() - 2));
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos)
      throw std::invalid_argument("ini line " + std::to_string(lineno) +
                                  ": expected key = value");
    auto key = trim(t.substr(0, eq));
    auto value = trim(t.substr(eq + 1));
    // A comment after an unquoted value.
    if (!value.empty() && value.front() != '"') {
      auto c = value.find_first_of(";#");
      if (c != std::string::npos)
        value = trim(value.substr(0, c));
    }
    if (key.empty())
      throw std::invalid_argument("ini line " + std::to_string(lineno) +
                                  ": empty key");
    out[section.empty() ? key : section + "." + key] = unquote(value);
  }
  return out;
}

void apply_option(server_config& cfg, const std::string& flag,
                  const std::string& value) {
  if (flag == "host") {
    if (value.empty())
      throw std::invalid_argument("--host: must not be empty");
    cfg.host = value;
  } else if (flag == "port") {
    cfg.port = static_cast<uint16_t>(to_int(flag, value, 0, 65535));
  } else if (flag == "data") {
    if (value.empty())
      throw std::invalid_argument("--data: must not be empty");
    cfg.data_dir = value;
  } else if (flag == "db") {
    bool uri = value.rfind("postgresql://", 0) == 0 ||
               value.rfind("postgres://", 0) == 0;
    if (!uri && value.find('=') == std::string::npos)
      throw std::invalid_argument(
          "--db: expected a PostgreSQL connection string (postgresql://... or "
          "key=value pairs), got '" +
          value + "'");
    cfg.db = value;
  } else if (flag == "no-seed") {
    cfg.seed = !to_bool(flag, value);
  } else if (flag == "time-scale") {
    char* end = nullptr;
    double x = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !(x > 0) || x > 1e6)
      throw std::invalid_argument(
          "--time-scale: expected a number in (0, 1000000], got '" + value +
          "'");
    cfg.time_scale = x;
  } else if (flag == "config") {
    cfg.config_file = value;
  } else if (flag == "io-threads") {
    cfg.io_threads = static_cast<int>(to_int(flag, value, 1, 256));
  } else if (flag == "read-threads") {
    cfg.read_threads = static_cast<int>(to_int(flag, value, 1, 256));
  } else if (flag == "max-connections") {
    cfg.max_connections = static_cast<size_t>(to_int(flag, value, 1, 1 << 20));
  } else if (flag == "idle-timeout-ms") {
    cfg.idle_timeout =
        std::chrono::milliseconds(to_int(flag, value, 10, 24 * 3600 * 1000));
  } else if (flag == "drain-timeout-ms") {
    cfg.drain_timeout =
        std::chrono::milliseconds(to_int(flag, value, 0, 3600 * 1000));
  } else if (flag == "synchronous") {
    if (value != "full" && value != "normal" && value != "off")
      throw std::invalid_argument(
          "--synchronous: expected full, normal or off, got '" + value + "'");
    cfg.synchronous = value;
  } else if (flag == "journal-max-batch") {
    cfg.journal_max_batch = static_cast<int>(to_int(flag, value, 1, 100000));
  } else if (flag == "reservation-ttl-ms") {
    cfg.reservation_ttl = std::chrono::milliseconds(
        to_int(flag, value, 1000, 7LL * 24 * 3600 * 1000));
  } else if (flag == "checkout-deadline-ms") {
    cfg.checkout_deadline =
        std::chrono::milliseconds(to_int(flag, value, 1, 3600 * 1000));
  } else if (flag == "payment-timeout-ms") {
    cfg.payment_timeout =
        std::chrono::milliseconds(to_int(flag, value, 100, 600 * 1000));
  } else if (flag == "payment-latency-ms") {
    cfg.payment_latency =
        std::chrono::milliseconds(to_int(flag, value, 0, 600 * 1000));
  } else if (flag == "token-ttl-s") {
    cfg.token_ttl =
        std::chrono::seconds(to_int(flag, value, 60, 366LL * 24 * 3600));
  } else if (flag == "log-level") {
    if (value != "trace" && value != "debug" && value != "info" &&
        value != "warn" && value != "error" && value != "off")
      throw std::invalid_argument("--log-level: unknown level '" + value + "'");
    cfg.log_level = value;
  } else if (flag == "web-root") {
    cfg.web_root = value;
  } else if (flag == "ws-queue-frames") {
    cfg.ws_queue_frames = static_cast<size_t>(to_int(flag, value, 1, 1 << 20));
  } else if (flag == "ws-idle-timeout-ms") {
    cfg.ws_idle_timeout =
        std::chrono::milliseconds(to_int(flag, value, 100, 3600 * 1000));
  } else if (flag == "ws-send-buffer") {
    cfg.ws_send_buffer = static_cast<int>(to_int(flag, value, 0, 1 << 26));
  } else if (!apply_abuse_option(cfg.abuse, flag, value) &&
             !apply_cluster_option(cfg.cluster, flag, value)) {
    throw std::invalid_argument("unknown option --" + flag +
                                " (see berry serve --help)");
  }
}

namespace {

/// Splits the command line into (flag, value) pairs, in order.
std::vector<std::pair<std::string, std::string>>
parse_args(const std::vector<std::string>& args) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a.rfind("--", 0) != 0 || a.size() == 2)
      throw std::invalid_argument("unexpected argument '" + a +
                                  "' (see berry serve --help)");
    auto body = a.substr(2);
    auto eq = body.find('=');
    std::string flag = body.substr(0, eq);
    auto* opt = find_option(flag);
    if (opt == nullptr)
      throw std::invalid_argument("unknown option --" + flag +
                                  " (see berry serve --help)");
    if (eq != std::string::npos) {
      out.emplace_back(flag, body.substr(eq + 1));
    } else if (opt->is_switch) {
      out.emplace_back(flag, "true");
    } else {
      if (i + 1 >= args.size())
        throw std::invalid_argument("--" + flag + " needs a value");
      out.emplace_back(flag, args[++i]);
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::invalid_argument("cannot read config file " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

server_config load_config(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env) {
  server_config cfg;
  auto flags = parse_args(args);
  // Which file: the flag wins over the environment, then ./berry.ini.
  std::string file;
  if (auto i = env.find("BERRY_CONFIG"); i != env.end())
    file = i->second;
  for (auto& [k, v] : flags)
    if (k == "config")
      file = v;
  if (file.empty() && std::ifstream("berry.ini").good())
    file = "berry.ini";
  if (!file.empty()) {
    for (auto& [key, value] : parse_ini(read_file(file))) {
      auto k = key.rfind("berry.", 0) == 0 ? key.substr(6) : key;
      if (k == "config")
        continue;
      apply_option(cfg, k, value);
    }
    cfg.config_file = file;
  }
  for (auto& o : options)
    if (auto i = env.find(o.env); i != env.end() && o.flag != "config")
      apply_option(cfg, o.flag, i->second);
  for (auto& [k, v] : flags)
    apply_option(cfg, k, v);
  if (auto i = env.find("BERRY_ADMIN_EMAIL"); i != env.end())
    cfg.admin_email = i->second;
  if (auto i = env.find("BERRY_ADMIN_PASSWORD"); i != env.end())
    cfg.admin_password = i->second;
  check_cluster_config(cfg.cluster);
  return cfg;
}

std::map<std::string, std::string> berry_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    if (kv.rfind("BERRY_", 0) != 0)
      continue;
    auto eq = kv.find('=');
    if (eq != std::string::npos)
      out.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return out;
}

} // namespace berry
