#include "actors/catalog.hpp"

#include <map>
#include <optional>

#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace std::chrono_literals;

namespace {

berry::catalog_init two_products(std::vector<berry::catalog_snapshot_ptr>& out,
                                 size_t warehouses) {
  berry::catalog_init init;
  init.categories = {{"c-home", "Дом", "", 0}};
  init.products = {
      {"p-1", "Чайник электрический", "Стекло", "c-home", 199000, 0},
      {"p-2", "Сковорода 28 см", "Чугун", "c-home", 249000, 0}};
  init.expected_warehouses = warehouses;
  init.publisher = [&out](berry::catalog_snapshot_ptr s) { out.push_back(s); };
  init.publish_delay = 20ms;
  return init;
}

} // namespace

TEST_CASE_METHOD(berry::test::actor_fixture,
                 "the catalog shows the sum of every warehouse's stock") {
  std::vector<berry::catalog_snapshot_ptr> published;
  auto catalog = berry::spawn_catalog(sys, two_products(published, 2));
  sched.run();
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-1", {{"p-1", 3}, {"p-2", 0}}});
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-2", {{"p-1", 4}}});
  sched.run();
  REQUIRE_FALSE(published.empty());
  auto& snap = *published.back();
  CHECK(snap.find("p-1")->available == 7);
  CHECK(snap.find("p-2")->available == 0);
  CHECK(snap.find("p-3") == nullptr);
  CHECK(snap.products.size() == 2);
  caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(berry::test::actor_fixture,
                 "the catalog is ready only once every warehouse reported") {
  std::vector<berry::catalog_snapshot_ptr> published;
  auto catalog = berry::spawn_catalog(sys, two_products(published, 2));
  std::optional<uint64_t> ready_version;
  auto waiter = sys.spawn([&](caf::event_based_actor* self) {
    self->request(catalog, caf::infinite, berry::ready_atom_v)
        .then([&](uint64_t v) { ready_version = v; });
  });
  sched.run();
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-1", {{"p-1", 1}}});
  sched.run();
  CHECK_FALSE(ready_version);
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-2", {{"p-2", 5}}});
  sched.run();
  REQUIRE(ready_version);
  CHECK(*ready_version == published.back()->version);
  CHECK(published.back()->find("p-2")->available == 5);
  caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(berry::test::actor_fixture,
                 "stock changes are gathered into one new snapshot") {
  std::vector<berry::catalog_snapshot_ptr> published;
  auto catalog = berry::spawn_catalog(sys, two_products(published, 1));
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-1", {{"p-1", 10}, {"p-2", 10}}});
  sched.run();
  auto before = published.size();
  auto ready = published.back();
  for (int left = 9; left >= 5; --left)
    caf::anon_send(catalog, berry::avail_atom_v,
                   berry::availability_report{"w-1", {{"p-1", left}}});
  sched.run();
  CHECK(published.size() == before); // nothing yet: the delay has not passed
  sched.advance_time(20ms);
  sched.run();
  REQUIRE(published.size() == before + 1);
  auto next = published.back();
  CHECK(next->version == ready->version + 1);
  CHECK(next->find("p-1")->available == 5);
  // The untouched product is the very same entry, so its rendering is reused.
  CHECK(next->find("p-2") == ready->find("p-2"));
  CHECK(next->find("p-1") != ready->find("p-1"));
  caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
}

TEST_CASE("a report that changes nothing makes no new snapshot") {
  berry::catalog_state st;
  st.put(berry::product{"p-1", "Чайник", "", "c", 100, 0});
  st.expected_warehouses = 1;
  st.apply({"w-1", {{"p-1", 2}}});
  auto first = st.build();
  st.apply({"w-1", {{"p-1", 2}}});
  CHECK_FALSE(st.changed());
  st.apply({"w-1", {{"p-1", 1}}});
  CHECK(st.changed());
  CHECK(st.build()->find("p-1")->available == 1);
}

TEST_CASE_METHOD(berry::test::actor_fixture,
                 "a stock change after a quiet spell is shown at once") {
  std::vector<berry::catalog_snapshot_ptr> published;
  auto catalog = berry::spawn_catalog(sys, two_products(published, 1));
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-1", {{"p-1", 10}}});
  sched.run();
  sched.advance_time(1s);
  auto before = published.size();
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-1", {{"p-1", 9}}});
  sched.run();
  REQUIRE(published.size() == before + 1);
  CHECK(published.back()->find("p-1")->available == 9);
  caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
}

TEST_CASE("a snapshot after a sale remakes only the sold product; a new "
          "product does not reach the snapshots before it") {
  berry::catalog_state st;
  st.put(berry::product{"p-1", "Чайник", "", "c", 100, 0});
  st.put(berry::product{"p-2", "Сковорода", "", "c", 90, 0});
  st.expected_warehouses = 1;
  st.apply({"w-1", {{"p-1", 2}, {"p-2", 4}}});
  auto first = st.build();
  st.apply({"w-1", {{"p-1", 1}}});
  auto sold = st.build();
  CHECK(sold->find("p-1")->available == 1);
  CHECK(sold->find("p-2") == first->find("p-2"));
  CHECK(sold->find("p-1") != first->find("p-1"));
  st.put(berry::product{"p-0", "Ложка", "", "c", 10, 0});
  auto grown = st.build();
  REQUIRE(grown->products.size() == 3);
  CHECK(grown->find("p-0")->item.title == "Ложка");
  CHECK(grown->find("p-2") == sold->find("p-2"));
  CHECK(first->find("p-0") == nullptr);
  CHECK(first->products.size() == 2);
  CHECK(grown->find("p-1")->available == 1);
}

TEST_CASE_METHOD(berry::test::actor_fixture,
                 "the first snapshot waits for every warehouse's stock") {
  std::vector<berry::catalog_snapshot_ptr> published;
  auto catalog = berry::spawn_catalog(sys, two_products(published, 2));
  sched.run();
  CHECK(published.empty());
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-1", {{"p-1", 3}}});
  sched.run();
  sched.advance_time(1s);
  sched.run();
  CHECK(published.empty()); // not a snapshot with half the stock
  caf::anon_send(catalog, berry::avail_atom_v,
                 berry::availability_report{"w-2", {{"p-1", 4}, {"p-2", 1}}});
  sched.run();
  REQUIRE(published.size() == 1);
  CHECK(published[0]->find("p-1")->available == 7);
  CHECK(published[0]->find("p-2")->available == 1);
  caf::anon_send_exit(catalog, caf::exit_reason::user_shutdown);
}

TEST_CASE("stock reported before the first snapshot changes entries in "
          "place; after it, published entries stay as they were") {
  berry::catalog_state st;
  st.put(berry::product{"p-1", "Чайник", "", "c", 100, 0});
  st.expected_warehouses = 2;
  const auto* loaded = st.products.find("p-1").get();
  st.apply({"w-1", {{"p-1", 2}}});
  st.apply({"w-2", {{"p-1", 3}}});
  CHECK(st.products.find("p-1").get() == loaded); // no copy per warehouse
  auto first = st.build();
  CHECK(first->find("p-1")->available == 5);
  st.apply({"w-1", {{"p-1", 0}}});
  auto second = st.build();
  CHECK(first->find("p-1")->available == 5);
  CHECK(second->find("p-1")->available == 3);
}

TEST_CASE("a report's items count in any order; a product listed twice "
          "counts as listed last") {
  berry::catalog_state st;
  for (auto id : {"p-1", "p-2", "p-3"})
    st.put(berry::product{id, "Чайник", "", "c", 100, 0});
  st.expected_warehouses = 1;
  st.apply({"w-1", {{"p-3", 3}, {"p-1", 1}, {"p-2", 9}, {"p-2", 2}}});
  auto snap = st.build();
  CHECK(snap->find("p-1")->available == 1);
  CHECK(snap->find("p-2")->available == 2);
  CHECK(snap->find("p-3")->available == 3);
}

TEST_CASE("the catalog says which warehouses reported a product available") {
  // What an order's first plan reads in place of asking every warehouse.
  berry::catalog_state st;
  st.put(berry::product{"p-1", "Чайник", "", "c", 100, 0});
  st.put(berry::product{"p-2", "Сковорода", "", "c", 100, 0});
  st.expected_warehouses = 3;
  st.apply({"w-1", {{"p-1", 2}, {"p-2", 0}}});
  st.apply({"w-2", {{"p-1", 5}}});
  // Reported before the product was put: kept aside, still told.
  st.apply({"w-3", {{"p-9", 4}, {"p-1", -1}}});
  auto levels = st.where({"p-1", "p-2", "p-9", "p-none"});
  std::map<std::pair<std::string, std::string>, int64_t> got;
  for (auto& l : levels) {
    CHECK(l.reserved == 0);
    got[{l.warehouse_id, l.product_id}] = l.available();
  }
  CHECK(got ==
        std::map<std::pair<std::string, std::string>, int64_t>{
            {{"w-1", "p-1"}, 2}, {{"w-2", "p-1"}, 5}, {{"w-3", "p-9"}, 4}});
  st.apply({"w-2", {{"p-1", 0}}});
  CHECK(st.where({"p-1"}).size() == 1);
}
