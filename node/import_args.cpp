// The command lines of `berry import` (node/import_command.hpp).

#include <stdexcept>

#include "node/import_command.hpp"

namespace berry {

std::string import_help() {
  return "usage: berry import [options] FILE\n"
         "Imports products from FILE (JSON lines, '-' for standard input)\n"
         "into the store of a stopped node; see docs/api.md, Bulk import.\n"
         "  --data DIR    the data directory (default: data)\n"
         "  --db URL      a PostgreSQL location instead of DIR/berry.db\n"
         "  --no-seed     do not seed a new store with the demo marketplace\n"
         "  --batch N     lines per transaction (default: 5000)\n";
}

import_options parse_import_args(const std::vector<std::string>& args) {
  import_options out;
  bool have_file = false;
  for (size_t i = 0; i < args.size(); ++i) {
    auto a = args[i];
    std::string value;
    bool inline_value = false;
    if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
      value = a.substr(a.find('=') + 1);
      a = a.substr(0, a.find('='));
      inline_value = true;
    }
    auto next = [&]() -> std::string {
      if (inline_value)
        return value;
      if (i + 1 >= args.size())
        throw std::invalid_argument(a + " needs a value");
      return args[++i];
    };
    if (a == "--data") {
      out.data_dir = next();
    } else if (a == "--db") {
      out.db = next();
    } else if (a == "--no-seed") {
      out.seed = false;
    } else if (a == "--batch") {
      auto v = next();
      size_t used = 0;
      auto n = v.empty() ? 0 : std::stoul(v, &used);
      if (used != v.size() || n < 1 || n > 1000000)
        throw std::invalid_argument("--batch: expected 1 to 1000000");
      out.batch = n;
    } else if (a.rfind("--", 0) != 0 && !have_file) {
      out.file = a;
      have_file = true;
    } else {
      throw std::invalid_argument("unexpected argument '" + a + "'");
    }
  }
  if (!have_file)
    throw std::invalid_argument("which FILE to import?");
  return out;
}

} // namespace berry
