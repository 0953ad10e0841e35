#include "actors/warehouse.hpp"

#include <catch2/catch.hpp>

TEST_CASE("a warehouse refuses on-hand below what is reserved") {
  berry::warehouse_state st;
  st.info.id = "w-1";
  st.stock["p-1"] = {"w-1", "p-1", 10, 4};
  CHECK(st.check_on_hand("p-1", 3) == berry::berry_errc::conflict);
  CHECK(st.check_on_hand("p-1", -1) == berry::berry_errc::validation);
  CHECK(st.check_on_hand("p-1", 4) == berry::berry_errc::none);
  auto level = st.set_on_hand("p-1", 6);
  CHECK(level.on_hand == 6);
  CHECK(level.reserved == 4);
  CHECK(level.available() == 2);
}

TEST_CASE("a product a warehouse never stocked has zero stock there") {
  berry::warehouse_state st;
  st.info.id = "w-1";
  auto level = st.get("p-9");
  CHECK(level.warehouse_id == "w-1");
  CHECK(level.on_hand == 0);
  CHECK(level.available() == 0);
  CHECK(st.check_on_hand("p-9", 5) == berry::berry_errc::none);
}

TEST_CASE("a warehouse reports what it can hand out of each product") {
  berry::warehouse_state st;
  st.info.id = "w-1";
  st.stock["p-1"] = {"w-1", "p-1", 10, 4};
  st.stock["p-2"] = {"w-1", "p-2", 3, 0};
  auto all = st.report_all();
  CHECK(all.warehouse_id == "w-1");
  REQUIRE(all.items.size() == 2);
  int64_t sum = 0;
  for (auto& i : all.items)
    sum += i.available;
  CHECK(sum == 9);
  auto one = st.report_one("p-1");
  REQUIRE(one.items.size() == 1);
  CHECK(one.items[0].available == 6);
}
