#pragma once

// The latest catalog snapshot, readable from any thread: the catalog actor
// publishes into it, the order manager prices from it, and the edge renders
// each new snapshot (http/catalog_cache) as it arrives. Light: no CAF, no
// JSON.

#include "actors/catalog_snapshot.hpp"

namespace berry {

/// Holds the catalog's latest snapshot. publish() and load() may run on
/// different threads at the same time.
class catalog_view {
public:
  /// Starts with an empty catalog; `listener` (may be empty) is told of
  /// every snapshot published later, after it became current.
  explicit catalog_view(catalog_publisher listener = {});

  /// Makes `snap` the current snapshot, then tells the listener. Called
  /// from one thread at a time: the catalog actor's.
  void publish(catalog_snapshot_ptr snap);

  /// The current snapshot; never null, never blocks on the actor.
  catalog_snapshot_ptr load() const;

  /// A publisher for catalog_init that publishes into `view`.
  static catalog_publisher publisher_of(std::shared_ptr<catalog_view> view);

private:
  catalog_snapshot_ptr current_;
  catalog_publisher listener_;
};

} // namespace berry
