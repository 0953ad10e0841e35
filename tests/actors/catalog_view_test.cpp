// The catalog view: the snapshot the order manager prices from and the edge
// renders, readable from any thread.

#include <catch2/catch.hpp>

#include "actors/catalog_view.hpp"

using namespace berry;

namespace {

catalog_snapshot_ptr snapshot_of(uint64_t version, const std::string& id) {
  auto snap = std::make_shared<catalog_snapshot>();
  snap->version = version;
  auto e = std::make_shared<catalog_entry>();
  e->item.id = id;
  snap->products = catalog_entries::from_sorted({std::move(e)});
  return snap;
}

} // namespace

TEST_CASE("a catalog view starts empty and then shows the latest snapshot") {
  catalog_view view;
  REQUIRE(view.load());
  CHECK(view.load()->products.empty());
  view.publish(snapshot_of(1, "p-kettle"));
  view.publish(snapshot_of(2, "p-pan"));
  CHECK(view.load()->version == 2);
  CHECK(view.load()->find("p-pan"));
  CHECK_FALSE(view.load()->find("p-kettle"));
}

TEST_CASE("a catalog view's listener hears of a snapshot once it is current") {
  std::shared_ptr<catalog_view> view;
  std::vector<uint64_t> heard;
  view = std::make_shared<catalog_view>([&](catalog_snapshot_ptr snap) {
    CHECK(view->load() == snap);
    heard.push_back(snap->version);
  });
  auto publish = catalog_view::publisher_of(view);
  publish(snapshot_of(7, "p-kettle"));
  publish(nullptr);
  CHECK(heard == std::vector<uint64_t>{7, 0});
  CHECK(view->load()->products.empty());
}
