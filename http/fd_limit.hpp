#pragma once

// --max-connections against the process's open-file limit (ulimit -n): each
// connection is a descriptor, and an accept that runs out of them leaves
// clients hanging in the backlog instead of getting a 503. At start the
// soft limit is raised as far as the hard one allows; when even that is too
// low, the connection cap is lowered to fit.

#include <cstddef>
#include <cstdint>

namespace berry::http {

/// Descriptors kept for everything that is not a client connection (the
/// database and its WAL, the journal, logs, a rejected connection's socket
/// while it gets its 503).
constexpr uint64_t fd_reserve = 64;

/// What to do about the limit.
struct fd_plan {
  enum action_t { keep, raise, cap };
  action_t action = keep;
  uint64_t soft = 0;          ///< the soft limit to set
  size_t max_connections = 0; ///< the connection cap to use
};

/// The plan for `wanted` connections under limits `soft` and `hard`
/// (either may be `unlimited`).
fd_plan plan_fd_limit(size_t wanted, uint64_t soft, uint64_t hard,
                      uint64_t unlimited);

/// Applies plan_fd_limit to this process (setrlimit), logs what it did, and
/// returns the connection cap to use.
size_t fit_connections_to_fd_limit(size_t wanted);

} // namespace berry::http
