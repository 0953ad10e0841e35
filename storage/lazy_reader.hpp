#pragma once

// A read-only connection with its prepared statements, opened on first use
// and opened afresh after a failure: for actors that look up, now and then,
// what has left their memory (a warehouse's settled holds, the payment
// provider's settled rows).

#include <memory>
#include <string>
#include <utility>

#include "storage/database.hpp"

namespace berry::storage {

/// Lazily opened read-only access to one database; copies share it.
class lazy_reader {
public:
  explicit lazy_reader(std::string path)
      : path_(std::move(path)),
        open_(std::make_shared<std::unique_ptr<conn>>()) {}

  /// Calls `f(statement_cache&)` on the connection (opened now if needed);
  /// an exception closes it and goes on to the caller.
  template <class F>
  auto with(F&& f) const {
    try {
      if (!*open_)
        *open_ = std::make_unique<conn>(path_);
      return f((*open_)->cache);
    } catch (...) {
      open_->reset();
      throw;
    }
  }

private:
  struct conn {
    database db;
    statement_cache cache{db};
    explicit conn(const std::string& path)
        : db(database::open(path, open_mode::read_only)) {}
  };
  std::string path_;
  std::shared_ptr<std::unique_ptr<conn>> open_;
};

} // namespace berry::storage
