#include "config/logging.hpp"

#include <cstdio>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace berry::log {

namespace {

void log_at(spdlog::level::level_enum lvl, std::string_view msg, fields fs) {
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(lvl))
    return;
  logger->log(lvl, "{}", render(msg, fs));
}

} // namespace

void init(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("berry");
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out;
}

std::string render(std::string_view msg, fields fs) {
  std::string out = "\"msg\":\"" + escape(msg) + "\"";
  for (auto& f : fs) {
    out += ",\"";
    out += escape(f.key);
    out += "\":";
    if (auto s = std::get_if<std::string_view>(&f.val)) {
      out += '"';
      out += escape(*s);
      out += '"';
    } else if (auto i = std::get_if<int64_t>(&f.val)) {
      out += std::to_string(*i);
    } else if (auto d = std::get_if<double>(&f.val)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", *d);
      out += buf;
    } else {
      out += std::get<bool>(f.val) ? "true" : "false";
    }
  }
  return out;
}

void debug(std::string_view msg, fields fs) {
  log_at(spdlog::level::debug, msg, fs);
}
void info(std::string_view msg, fields fs) {
  log_at(spdlog::level::info, msg, fs);
}
void warn(std::string_view msg, fields fs) {
  log_at(spdlog::level::warn, msg, fs);
}
void error(std::string_view msg, fields fs) {
  log_at(spdlog::level::err, msg, fs);
}

} // namespace berry::log
