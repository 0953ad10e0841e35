#include "node/search_warmup.hpp"

#include <catch2/catch.hpp>

namespace {

using berry::product;

std::shared_ptr<berry::catalog_snapshot>
snapshot_of(std::vector<product> products) {
  auto snap = std::make_shared<berry::catalog_snapshot>();
  berry::chunked_seq_editor<berry::catalog_entry, berry::entry_id> entries;
  for (auto& p : products)
    entries.put(std::make_shared<const berry::catalog_entry>(
        berry::catalog_entry{std::move(p), 1}));
  snap->products = entries.publish();
  return snap;
}

std::shared_ptr<berry::catalog_view> view_of(std::vector<product> products) {
  auto view = std::make_shared<berry::catalog_view>();
  view->publish(snapshot_of(std::move(products)));
  return view;
}

size_t found(const berry::catalog_search& search, const std::string& q) {
  berry::search_query sq;
  sq.words = berry::search_words(q);
  sq.keep = 20;
  return search.find(sq).total;
}

const std::vector<product> shop = {
    {"p-1", "Платье летнее", "Хлопок", "c-dress", 300000, 10},
    {"p-2", "Чайник", "Сталь", "c-home", 150000, 20},
    {"p-3", "Платье вечернее", "Шёлк", "c-dress", 900000, 30}};

} // namespace

TEST_CASE("a small catalog is searchable as soon as index_catalog returns") {
  auto view = view_of(shop);
  berry::catalog_search search;
  auto indexer = berry::index_catalog(search, *view, 3);
  CHECK_FALSE(indexer.joinable());
  CHECK(search.ready());
  CHECK(found(search, "платье") == 2);
}

TEST_CASE("a large catalog is indexed on a thread of its own") {
  auto view = view_of(shop);
  berry::catalog_search search;
  auto indexer = berry::index_catalog(search, *view, 2);
  REQUIRE(indexer.joinable());
  indexer.join();
  CHECK(search.size() == 3);
  CHECK(found(search, "чайник") == 1);
}

TEST_CASE("products renamed or added while the index was made are found "
          "by their new titles") {
  auto indexed = snapshot_of(shop);
  berry::catalog_search search;
  search.rebuild(*indexed);
  auto changed = shop;
  changed[1].title = "Самовар";
  changed.push_back({"p-4", "Платье миди", "", "c-dress", 1000, 40});
  berry::index_changes(search, *indexed, *snapshot_of(changed));
  CHECK(found(search, "чайник") == 0);
  CHECK(found(search, "самовар") == 1);
  CHECK(found(search, "платье") == 3);
}
