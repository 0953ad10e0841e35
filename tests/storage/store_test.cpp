#include "storage/store.hpp"

#include <filesystem>
#include <random>

#include <catch2/catch.hpp>

#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"

using namespace berry;
using namespace berry::storage;

namespace {

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("berry-store-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Children listed before their parents, as a generator might.
marketplace tiny_market() {
  marketplace d;
  d.categories = {{"dresses", "Платья", "women", 0},
                  {"women", "Женщинам", "", 0},
                  {"summer", "Летние", "dresses", 0}};
  d.products = {{"p1", "Платье летнее", "Лён", "summer", 199900, 1}};
  d.warehouses = {{"w1", "Подольск", {55.43, 37.54}}};
  d.couriers = {{"k1", "Иван", {55.75, 37.62}}};
  d.stock = {{"w1", "p1", 7, 0}};
  return d;
}

} // namespace

TEST_CASE("preparing a store creates its directory and schema") {
  temp_dir tmp;
  auto nested = (tmp.path / "a" / "b").string();
  auto paths = prepare_store(nested);
  CHECK(paths.dir == nested);
  CHECK(paths.db == nested + "/berry.db");
  CHECK(std::filesystem::exists(paths.db));
  auto db = database::open(paths.db, open_mode::read_only);
  CHECK(schema_version(db) == migrations().back().version);
  CHECK(prepare_store(nested).db == paths.db); // a second start is fine
}

TEST_CASE("the demo data is seeded once, parents before children") {
  temp_dir tmp;
  auto paths = prepare_store(tmp.path.string());
  auto db = database::open(paths.db);
  CHECK_FALSE(is_seeded(db));
  CHECK(seed_if_empty(db, tiny_market()));
  CHECK(is_seeded(db));
  CHECK(load_categories(db).size() == 3);
  CHECK(load_products(db).size() == 1);
  CHECK(load_couriers(db).size() == 1);
  CHECK(load_stock(db, "w1").at(0).on_hand == 7);
  auto more = tiny_market();
  more.products.push_back({"p2", "Шарф", "", "women", 100, 1});
  CHECK_FALSE(seed_if_empty(db, more));
  CHECK(load_products(db).size() == 1);
}

TEST_CASE("seeding that fails leaves the database empty") {
  auto db = database::open(":memory:");
  migrate(db);
  auto bad = tiny_market();
  bad.stock.push_back({"w1", "p1", 1, 2}); // reserved > on_hand
  CHECK_THROWS_AS(seed_if_empty(db, bad), db_error);
  CHECK_FALSE(is_seeded(db));
  CHECK(load_products(db).empty());
  CHECK(seed_if_empty(db, tiny_market()));
}
