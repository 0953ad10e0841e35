#pragma once

// The route table: (method, path pattern) -> handler. Patterns are literal
// segments, `{name}` (one segment, percent-decoded into the params) and a
// final `{*name}` (the raw rest of the path, possibly empty). When several
// patterns match a path, the most specific wins: literal over `{name}` over
// `{*name}`, segment by segment from the left. The pattern is the route's
// stable name, used as the metrics label.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "http/message.hpp"
#include "http/websocket.hpp"

namespace berry::http {

/// Which limits a route draws from besides the per-address one
/// (http/edge_limits.hpp).
enum class rate_class {
  standard,   ///< only the per-address bucket
  auth,       ///< register, login: the tighter per-address auth bucket
  user_write, ///< cart writes, order actions: the caller's bucket
  checkout,   ///< the caller's checkout bucket
};

/// Answers one request through the responder; may finish later, elsewhere.
using handler = std::function<void(const request&, responder)>;

/// One row of the route table. `method` "*" takes every method; a GET route
/// also answers HEAD. A route with `upgrade` serves WebSocket upgrade
/// requests with it; `fn` answers the other requests.
struct route {
  std::string method;
  std::string pattern;
  handler fn;
  upgrade_handler upgrade = {};
  rate_class limit = rate_class::standard;
  /// The handler's work is slow and worth dropping once its client has
  /// gone: the session watches the connection while the handler runs and
  /// sets request::client_gone when the client closes it.
  bool watch_client = false;
};

/// What the router found for a request.
struct route_match {
  enum kind_t { found, no_path, no_method };
  kind_t kind = no_path;
  const route* matched = nullptr; ///< when found
  /// The pattern (the router's own, living as long as it); "unmatched" for
  /// no_path.
  std::string_view name;
  path_params params; ///< when found
  std::string allow;  ///< when no_method, e.g. "GET, HEAD"
};

/// A fixed table of routes.
class router {
public:
  /// A path's segments; short paths need no allocation.
  using path_parts = boost::container::small_vector<std::string_view, 8>;

  /// Takes the table. Throws std::invalid_argument on a malformed pattern.
  explicit router(std::vector<route> routes);

  /// The route for `method` on `path` (the raw path, without the query).
  route_match match(std::string_view method, std::string_view path) const;

  /// The table, as given.
  const std::vector<route>& routes() const { return routes_; }

private:
  struct segment {
    enum kind_t { catch_all = 0, param = 1, literal = 2 };
    kind_t kind;
    std::string text; ///< the literal, or the parameter name
  };
  using compiled = std::vector<segment>;

  /// A node of the patterns' trie: where the patterns that share their
  /// first segments go on.
  struct node {
    /// The child for each literal next segment.
    std::vector<std::pair<std::string, size_t>> literals;
    size_t param = npos;     ///< the child for a `{name}` next segment
    size_t catch_all = npos; ///< the first route ending in `{*name}` here
    size_t end = npos;       ///< the first route ending here
  };
  static constexpr size_t npos = static_cast<size_t>(-1);

  static compiled compile(const std::string& pattern);
  static bool matches(const compiled& c, const path_parts& parts,
                      path_params* out);
  void add_to_trie(size_t route);
  /// The first route (in table order) of the most specific pattern that
  /// matches parts[i...] from node `n`, or npos.
  size_t find(size_t n, const path_parts& parts, size_t i) const;

  std::vector<route> routes_;
  std::vector<compiled> compiled_;
  std::vector<node> trie_; ///< the root first
  /// For each route, the routes with its pattern (itself included), in
  /// table order.
  std::vector<std::vector<size_t>> same_pattern_;
};

} // namespace berry::http
