#pragma once

// `berry seed --products N [--out FILE] [--seed S]`: a large demo catalog as
// JSON lines for `berry import` (examples/demo/catalog_lines.hpp), on
// standard output or in FILE, so that benchmarks and tests can time the
// import alone: `berry seed --products 1000000 | berry import --data DIR -`.

#include <iosfwd>
#include <string>
#include <vector>

namespace berry {

/// The --help text of `berry seed`.
std::string seed_help();

/// Runs `berry seed` with the arguments after "seed"; returns the exit code
/// (2 on bad arguments, with the reason on `err`; 1 when FILE cannot be
/// written).
int run_seed(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err);

} // namespace berry
