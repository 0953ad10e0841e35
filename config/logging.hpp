#pragma once

// JSON-line logs through spdlog: one object per line on stderr, with a UTC
// timestamp, the level, the message and any fields the caller adds. Lines
// are written in blocks (at once from warn up; see logging.cpp).

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace berry::log {

/// A field value of a log line.
using value = std::variant<std::string_view, int64_t, double, bool>;

/// One `"key": value` of a log line.
struct field {
  std::string_view key;
  value val;
  field(std::string_view k, std::string_view v) : key(k), val(v) {}
  field(std::string_view k, const std::string& v)
      : key(k), val(std::string_view{v}) {}
  field(std::string_view k, const char* v) : key(k), val(std::string_view{v}) {}
  field(std::string_view k, int64_t v) : key(k), val(v) {}
  field(std::string_view k, int v) : key(k), val(int64_t{v}) {}
  field(std::string_view k, uint64_t v)
      : key(k), val(static_cast<int64_t>(v)) {}
  field(std::string_view k, unsigned v) : key(k), val(int64_t{v}) {}
  field(std::string_view k, double v) : key(k), val(v) {}
  field(std::string_view k, bool v) : key(k), val(v) {}
};

using fields = std::initializer_list<field>;

/// Sets up the process's logger at `level` (trace .. error, off).
void init(const std::string& level);

/// Escapes `s` for use inside a JSON string.
std::string escape(std::string_view s);
/// Appends `s` escaped for use inside a JSON string to `out`.
void append_escaped(std::string& out, std::string_view s);

/// Renders the message and fields as the inside of a JSON object, without
/// braces: `"msg":"...","k":v`. The logger adds ts and level around it.
std::string render(std::string_view msg, fields fs);
/// render appended to `out`.
void append_rendered(std::string& out, std::string_view msg, fields fs);

void debug(std::string_view msg, fields fs = {});
void info(std::string_view msg, fields fs = {});
void warn(std::string_view msg, fields fs = {});
void error(std::string_view msg, fields fs = {});

} // namespace berry::log
