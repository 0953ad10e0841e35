#pragma once

// `berry import [--data DIR | --db URL] [--no-seed] [--batch N] FILE`: the
// products of a JSON-lines file into a stopped node's store (API.md "Bulk
// import"). One thread reads and checks lines while another writes the
// batch before, a transaction per batch, so a crash loses at most the
// batch in flight, which a rerun writes again (by external id, no
// duplicates).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace berry {

/// What `berry import` was told.
struct import_options {
  std::string data_dir = "data";
  std::string db; ///< a PostgreSQL location; empty: data_dir/berry.db
  bool seed = true;
  size_t batch = 5000; ///< lines per transaction
  std::string file;    ///< "-" reads standard input
};

/// The --help text of `berry import`.
std::string import_help();

/// Reads the arguments after "import". Throws std::invalid_argument.
import_options parse_import_args(const std::vector<std::string>& args);

/// Imports opts.file: refused lines and progress go to `err`, the summary
/// line `imported N products (M skipped) in S s` to `out`. Returns the exit
/// code: 0, or 1 when the file cannot be read or the store not written.
int run_import(const import_options& opts, std::ostream& out,
               std::ostream& err);

} // namespace berry
