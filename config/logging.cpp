#include "config/logging.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <mutex>
#include <unistd.h>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace berry::log {

namespace {

// Standard error written in blocks, as a web server writes its access log:
// a request's line costs no system call of its own. What is held is written
// when 64 KB have gathered, every second (flush_every), with any warning or
// error (the lines before it first), and when the logger goes away at exit.
// A kill -9 loses at most the last second's info lines.
class buffered_stderr_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  ~buffered_stderr_sink() override { write_out(); }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    held_.append(line.data(), line.size());
    if (held_.size() >= 64 * 1024)
      write_out();
  }
  void flush_() override { write_out(); }

private:
  void write_out() {
    size_t at = 0;
    while (at < held_.size()) {
      auto n = ::write(STDERR_FILENO, held_.data() + at, held_.size() - at);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break; // nowhere to write: the lines are dropped, not retried
      at += static_cast<size_t>(n);
    }
    held_.clear();
  }

  std::string held_;
};

void log_at(spdlog::level::level_enum lvl, std::string_view msg, fields fs) {
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(lvl))
    return;
  // Each thread renders into a buffer of its own, kept between lines.
  thread_local std::string line;
  line.clear();
  append_rendered(line, msg, fs);
  logger->log(lvl, spdlog::string_view_t(line.data(), line.size()));
}

} // namespace

void init(const std::string& level) {
  auto logger = std::make_shared<spdlog::logger>(
      "berry", std::make_shared<buffered_stderr_sink>());
  spdlog::register_logger(logger);
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

namespace {

// The length of the valid UTF-8 sequence at the start of `s`, or 0: no
// overlong forms, no surrogates, nothing above U+10FFFF.
size_t utf8_sequence(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  auto c0 = b(0);
  size_t n = c0 < 0x80                  ? 1
             : c0 >= 0xC2 && c0 <= 0xDF ? 2
             : c0 >= 0xE0 && c0 <= 0xEF ? 3
             : c0 >= 0xF0 && c0 <= 0xF4 ? 4
                                        : 0;
  if (n == 0 || s.size() < n)
    return 0;
  for (size_t i = 1; i < n; ++i)
    if ((b(i) & 0xC0) != 0x80)
      return 0;
  if ((c0 == 0xE0 && b(1) < 0xA0) || (c0 == 0xED && b(1) > 0x9F) ||
      (c0 == 0xF0 && b(1) < 0x90) || (c0 == 0xF4 && b(1) > 0x8F))
    return 0;
  return n;
}

} // namespace

void append_escaped(std::string& out, std::string_view s) {
  // Runs of printable ASCII other than '"' and '\\' (a request's path, an
  // id, a route: nearly everything) are appended whole.
  static constexpr auto plain = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x7f; ++c)
      t[c] = c != '"' && c != '\\';
    return t;
  }();
  while (!s.empty()) {
    size_t run = 0;
    while (run < s.size() && plain[static_cast<unsigned char>(s[run])])
      ++run;
    if (run > 0) {
      out.append(s.data(), run);
      s.remove_prefix(run);
      continue;
    }
    auto c = static_cast<unsigned char>(s.front());
    auto n = utf8_sequence(s);
    if (n == 0) {
      // Not UTF-8 (a raw byte of a request path): the line stays valid.
      out += "\\ufffd";
      s.remove_prefix(1);
      continue;
    }
    if (n > 1) {
      out.append(s.data(), n);
      s.remove_prefix(n);
      continue;
    }
    s.remove_prefix(1);
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
    default: {
      // The other control characters and DEL.
      static constexpr char hex[] = "0123456789abcdef";
      char buf[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
      out.append(buf, sizeof buf);
    }
    }
  }
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  append_escaped(out, s);
  return out;
}

void append_rendered(std::string& out, std::string_view msg, fields fs) {
  out += "\"msg\":\"";
  append_escaped(out, msg);
  out += '"';
  char buf[32];
  for (auto& f : fs) {
    out += ",\"";
    append_escaped(out, f.key);
    out += "\":";
    if (auto s = std::get_if<std::string_view>(&f.val)) {
      out += '"';
      append_escaped(out, *s);
      out += '"';
    } else if (auto i = std::get_if<int64_t>(&f.val)) {
      auto r = std::to_chars(buf, buf + sizeof buf, *i);
      out.append(buf, r.ptr);
    } else if (auto d = std::get_if<double>(&f.val)) {
      // As printf's %.6g writes it.
      auto r = std::to_chars(buf, buf + sizeof buf, *d,
                             std::chars_format::general, 6);
      out.append(buf, r.ptr);
    } else {
      out += std::get<bool>(f.val) ? "true" : "false";
    }
  }
}

std::string render(std::string_view msg, fields fs) {
  std::string out;
  append_rendered(out, msg, fs);
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
