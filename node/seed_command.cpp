#include "node/seed_command.hpp"

#include <fstream>
#include <ostream>
#include <stdexcept>

#include "examples/demo/catalog_lines.hpp"

namespace berry {

namespace {

/// A whole number in [lo, hi], or std::invalid_argument naming `flag`.
uint64_t count_arg(const std::string& flag, const std::string& v, uint64_t lo,
                   uint64_t hi) {
  size_t used = 0;
  uint64_t n = 0;
  try {
    n = std::stoull(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (v.empty() || used != v.size() || n < lo || n > hi)
    throw std::invalid_argument(flag + ": expected a number from " +
                                std::to_string(lo) + " to " +
                                std::to_string(hi));
  return n;
}

} // namespace

std::string seed_help() {
  return "usage: berry seed --products N [--out FILE] [--seed S]\n"
         "Writes N demo products as JSON lines for berry import, the same\n"
         "for the same N and S, on standard output or in FILE.\n";
}

int run_seed(const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  uint64_t count = 0, seed = 20261124;
  std::string file;
  try {
    for (size_t i = 0; i < args.size(); ++i) {
      if (i + 1 >= args.size())
        throw std::invalid_argument("unexpected argument '" + args[i] + "'");
      const auto& flag = args[i];
      const auto& value = args[++i];
      if (flag == "--products")
        count = count_arg(flag, value, 1, 100'000'000);
      else if (flag == "--seed")
        seed = count_arg(flag, value, 0, UINT32_MAX);
      else if (flag == "--out")
        file = value;
      else
        throw std::invalid_argument("unexpected argument '" + flag + "'");
    }
    if (count == 0)
      throw std::invalid_argument("--products N is required");
  } catch (const std::invalid_argument& e) {
    err << "berry seed: " << e.what() << "\n" << seed_help();
    return 2;
  }
  std::ofstream to_file;
  if (!file.empty())
    to_file.open(file, std::ios::binary | std::ios::trunc);
  std::ostream& to = file.empty() ? out : to_file;
  demo::write_catalog_lines(to, count, static_cast<uint32_t>(seed));
  to.flush();
  if (!to) {
    err << "berry seed: cannot write " << (file.empty() ? "stdout" : file)
        << "\n";
    return 1;
  }
  return 0;
}

} // namespace berry
