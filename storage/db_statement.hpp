#pragma once

// One SQL statement with its bound values: what the repositories build and
// the journal's SQLite backend runs. Internal to storage/: actors send typed
// commands (protocols/journal_commands.hpp), never these.

#include <cstdint>
#include <string>
#include <vector>

namespace berry::storage {

/// One bound parameter of a statement.
struct db_value {
  enum kind_t : uint8_t { null_v = 0, int_v, real_v, text_v };
  uint8_t kind = null_v;
  int64_t i = 0;
  double r = 0;
  std::string s;

  static db_value null() { return {}; }
  static db_value of(int64_t v) { return {int_v, v, 0, {}}; }
  static db_value of(double v) { return {real_v, 0, v, {}}; }
  static db_value of(std::string v) { return {text_v, 0, 0, std::move(v)}; }
  static db_value of(const char* v) { return of(std::string{v}); }
};

/// One SQL statement. `sql` is one of the named constants of storage/,
/// never text built from input; values go in `args`.
struct db_statement {
  std::string sql;
  std::vector<db_value> args;
};

} // namespace berry::storage
