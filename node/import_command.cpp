#include "node/import_command.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "node/import_line.hpp"
#include "node/node.hpp"
#include "storage/catalog_repo.hpp"

namespace berry {

namespace {

using clock_type = std::chrono::steady_clock;

/// The lines of one transaction, as the reader thread checked them.
struct checked_batch {
  std::vector<storage::import_item> items;
  std::vector<storage::import_reject> refused;
  int64_t lines = 0; ///< the last line number read so far
  bool last = false;
};

/// Hands batches from the reader thread to the writer, at most two ahead.
class batch_queue {
public:
  void push(checked_batch b) {
    std::unique_lock<std::mutex> lock{mutex_};
    room_.wait(lock, [&] { return queue_.size() < 2 || stopped_; });
    queue_.push_back(std::move(b));
    ready_.notify_one();
  }
  checked_batch pop() {
    std::unique_lock<std::mutex> lock{mutex_};
    ready_.wait(lock, [&] { return !queue_.empty(); });
    auto b = std::move(queue_.front());
    queue_.erase(queue_.begin());
    room_.notify_one();
    return b;
  }
  /// The writer gave up: the reader must not wait for room any more.
  void stop() {
    std::lock_guard<std::mutex> lock{mutex_};
    stopped_ = true;
    room_.notify_all();
  }
  bool stopped() {
    std::lock_guard<std::mutex> lock{mutex_};
    return stopped_;
  }

private:
  std::mutex mutex_;
  std::condition_variable room_, ready_;
  std::vector<checked_batch> queue_;
  bool stopped_ = false;
};

/// The reader thread: lines to checked batches; blank lines are skipped.
void read_lines(std::istream& in, const import_names& names, size_t batch,
                batch_queue& q, bool& read_failed) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  checked_batch b;
  std::string text;
  while (!q.stopped() && std::getline(in, text)) {
    ++b.lines;
    if (text.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    auto x = read_import_line(text, b.lines, names, now);
    if (auto* item = std::get_if<storage::import_item>(&x))
      b.items.push_back(std::move(*item));
    else
      b.refused.push_back({b.lines, std::get<import_refusal>(x).reason});
    if (b.items.size() >= batch) {
      auto lines = b.lines;
      q.push(std::exchange(b, checked_batch{}));
      b.lines = lines;
    }
  }
  read_failed = in.bad();
  b.last = true;
  q.push(std::move(b));
}

import_names names_in(storage::database& db) {
  import_names out;
  out.categories = storage::load_categories(db);
  for (auto& w : storage::load_warehouses(db))
    out.warehouses.insert(w.id);
  return out;
}

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

} // namespace

int run_import(const import_options& opts, std::ostream& out,
               std::ostream& err) {
  auto t0 = clock_type::now();
  std::ifstream file;
  if (opts.file != "-") {
    file.open(opts.file, std::ios::binary);
    if (!file) {
      err << "berry import: cannot read " << opts.file << "\n";
      return 1;
    }
  }
  std::istream& in = opts.file == "-" ? std::cin : file;
  server_config cfg;
  cfg.data_dir = opts.data_dir;
  cfg.db = opts.db;
  cfg.seed = opts.seed;
  auto db = storage::database::open(prepare_storage(cfg).db);
  storage::catalog_importer importer{db};
  auto names = names_in(db);
  batch_queue q;
  bool read_failed = false;
  std::thread reader{
      [&] { read_lines(in, names, opts.batch, q, read_failed); }};
  size_t imported = 0, skipped = 0;
  auto last_report = t0;
  try {
    for (auto b = q.pop();; b = q.pop()) {
      auto done =
          b.items.empty() ? storage::import_outcome{} : importer.write(b.items);
      b.refused.insert(b.refused.end(), done.rejected.begin(),
                       done.rejected.end());
      for (const auto& r : b.refused)
        err << "line " << r.line << ": " << r.reason << "\n";
      imported += done.written;
      skipped += b.refused.size();
      if (b.last)
        break;
      if (clock_type::now() - last_report >= std::chrono::seconds{1}) {
        last_report = clock_type::now();
        auto s = seconds_since(t0);
        err << "import: " << b.lines << " lines read, " << imported
            << " products imported (" << static_cast<long>(imported / s)
            << "/s)" << std::endl;
      }
    }
  } catch (...) {
    q.stop();
    reader.join();
    throw;
  }
  reader.join();
  if (read_failed) {
    err << "berry import: reading " << opts.file << " failed\n";
    return 1;
  }
  char buf[128];
  std::snprintf(buf, sizeof buf,
                "imported %zu products (%zu skipped) in %.1f s", imported,
                skipped, seconds_since(t0));
  out << buf << std::endl;
  return 0;
}

} // namespace berry
