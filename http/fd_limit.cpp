#include "http/fd_limit.hpp"

#include <algorithm>
#include <sys/resource.h>

#include "config/logging.hpp"

namespace berry::http {

fd_plan plan_fd_limit(size_t wanted, uint64_t soft, uint64_t hard,
                      uint64_t unlimited) {
  uint64_t needed = wanted + fd_reserve;
  if (soft == unlimited || soft >= needed)
    return {fd_plan::keep, soft, wanted};
  if (hard == unlimited || hard >= needed)
    return {fd_plan::raise, needed, wanted};
  auto room = hard > 2 * fd_reserve ? hard - fd_reserve : hard / 2;
  return {fd_plan::cap, hard, static_cast<size_t>(std::max<uint64_t>(1, room))};
}

size_t fit_connections_to_fd_limit(size_t wanted) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0)
    return wanted;
  auto plan = plan_fd_limit(wanted, lim.rlim_cur, lim.rlim_max, RLIM_INFINITY);
  if (plan.action == fd_plan::keep)
    return wanted;
  auto before = static_cast<uint64_t>(lim.rlim_cur);
  lim.rlim_cur = plan.soft;
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) {
    // Not even up to the hard limit: fit into what there is.
    plan = plan_fd_limit(wanted, before, before, RLIM_INFINITY);
  }
  if (plan.action == fd_plan::raise) {
    log::info("raised the open-file limit for --max-connections",
              {{"from", before},
               {"to", plan.soft},
               {"max_connections", static_cast<uint64_t>(wanted)}});
  } else {
    log::warn(
        "--max-connections lowered to fit the open-file limit "
        "(raise ulimit -n to serve more)",
        {{"open_file_limit", plan.soft},
         {"wanted", static_cast<uint64_t>(wanted)},
         {"max_connections", static_cast<uint64_t>(plan.max_connections)}});
  }
  return plan.max_connections;
}

} // namespace berry::http
