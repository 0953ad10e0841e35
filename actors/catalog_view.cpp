#include "actors/catalog_view.hpp"

#include <atomic>

namespace berry {

catalog_view::catalog_view(catalog_publisher listener)
    : current_(std::make_shared<const catalog_snapshot>()),
      listener_(std::move(listener)) {}

void catalog_view::publish(catalog_snapshot_ptr snap) {
  if (!snap)
    snap = std::make_shared<const catalog_snapshot>();
  std::atomic_store(&current_, snap);
  if (listener_)
    listener_(std::move(snap));
}

catalog_snapshot_ptr catalog_view::load() const {
  return std::atomic_load(&current_);
}

catalog_publisher
catalog_view::publisher_of(std::shared_ptr<catalog_view> view) {
  return [view = std::move(view)](catalog_snapshot_ptr snap) {
    view->publish(std::move(snap));
  };
}

} // namespace berry
