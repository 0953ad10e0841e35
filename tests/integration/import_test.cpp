// berry import (API.md "Bulk import") as an operator runs it: the real
// binary on a real file, then the real server on what it wrote.

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>

#include "http_client.hpp"
#include "import_tool.hpp"
#include "storage/database.hpp"

using namespace berry::test;
using nlohmann::json;

namespace {

std::string line(const std::string& ext, const std::string& title,
                 json stock = json::object(), int64_t price = 149000) {
  return json{{"external_id", ext},
              {"title", title},
              {"description", "Из ели, для песен и сказов."},
              {"category_id", "c-women-dresses"},
              {"price", {{"amount", price}, {"currency", "RUB"}}},
              {"stock", std::move(stock)}}
      .dump();
}

/// The products a search for `q` lists.
json search(uint16_t port, const std::string& q) {
  auto res = get(port, "/api/v1/products?q=" + url_encode(q));
  REQUIRE(res.status == 200);
  return res.json()["items"];
}

/// One number from the store of `dir` (SQL of the test's own).
int64_t store_count(const std::string& dir, const std::string& sql) {
  auto db = berry::storage::database::open(store_location(dir));
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.col_int(0);
}

bool ends_with_summary(const std::string& out, const std::string& counts) {
  return out.rfind("imported " + counts + " in ", 0) == 0 &&
         out.find(" s\n") == out.size() - 3;
}

} // namespace

TEST_CASE("imported products are listed, found and stocked by berry serve") {
  temp_dir dir;
  auto file = dir.path + "/in.jsonl";
  write_lines(file, {line("g-1", "Гусли звончатые",
                          {{"w-podolsk", 3}, {"w-koledino", 4}}),
                     line("g-2", "Гусли крыловидные", {{"w-podolsk", 0}})});
  auto r = run_import(dir.path, {file});
  CHECK(r.exit_code == 0);
  CHECK(ends_with_summary(r.out, "2 products (0 skipped)"));
  berry_server server{dir.path};
  auto found = search(server.port(), "гуслей");
  REQUIRE(found.size() == 2);
  for (auto& p : found) {
    auto title = p["title"].get<std::string>();
    CHECK(p["available"] == (title == "Гусли звончатые" ? 7 : 0));
    CHECK(p["price"]["amount"] == 149000);
    auto one =
        get(server.port(), "/api/v1/products/" + p["id"].get<std::string>());
    CHECK(one.status == 200);
  }
  // The demo marketplace was seeded first, as berry serve would.
  CHECK_FALSE(search(server.port(), "платье").empty());
}

TEST_CASE("malformed lines are reported by number, skipped and not written") {
  temp_dir dir;
  auto file = dir.path + "/in.jsonl";
  auto no_title = json::parse(line("b-3", "x"));
  no_title.erase("title");
  write_lines(file, {line("b-1", "Гусли звончатые"), "{\"external_id\": ",
                     no_title.dump(), line("b-4", "Гусли", {{"w-nowhere", 1}}),
                     line("b-5", "Гусли", {{"w-podolsk", 10000001}}),
                     line("b-6", "Гусли", json::object(), -1),
                     line("b-7", std::string(201, 'a')),
                     "", // a blank line is no product, and no error
                     line("b-9", "Гусли крыловидные")});
  auto r = run_import(dir.path, {file});
  CHECK(r.exit_code == 0);
  CHECK(ends_with_summary(r.out, "2 products (6 skipped)"));
  for (auto n :
       {"line 2: ", "line 3: ", "line 4: ", "line 5: ", "line 6: ", "line 7: "})
    CHECK(r.err.find(n) != std::string::npos);
  CHECK(r.err.find("line 1: ") == std::string::npos);
  CHECK(r.err.find("line 8: ") == std::string::npos);
  CHECK(store_count(dir.path, "SELECT COUNT(*) FROM products WHERE"
                              " external_id IS NOT NULL") == 2);
  CHECK(store_count(dir.path, "SELECT COUNT(*) FROM stock WHERE product_id IN"
                              " (SELECT id FROM products WHERE external_id"
                              " IN ('b-4', 'b-5'))") == 0);
}

TEST_CASE("importing a file again updates its products, no duplicates") {
  temp_dir dir;
  auto file = dir.path + "/in.jsonl";
  write_lines(file, {line("u-1", "Гусли звончатые", {{"w-podolsk", 3}})});
  REQUIRE(run_import(dir.path, {file}).exit_code == 0);
  write_lines(file, {line("u-1", "Гусли яровчатые", {{"w-podolsk", 9}}, 99000),
                     line("u-2", "Гусли крыловидные")});
  auto r = run_import(dir.path, {file});
  CHECK(ends_with_summary(r.out, "2 products (0 skipped)"));
  berry_server server{dir.path};
  auto found = search(server.port(), "гусли");
  REQUIRE(found.size() == 2);
  auto updated = search(server.port(), "яровчатые");
  REQUIRE(updated.size() == 1);
  CHECK(updated[0]["available"] == 9);
  CHECK(updated[0]["price"]["amount"] == 99000);
  CHECK(search(server.port(), "звончатые гусли").empty());
}

TEST_CASE("an import killed mid-way and run again writes each product once") {
  temp_dir dir;
  auto file = dir.path + "/big.jsonl";
  const int64_t n = 60000;
  REQUIRE(seed_file(file, n));
  std::vector<std::string> argv{
      "/bin/sh", "-c",     "exec \"$@\" 2>&1", "sh",      BERRY_BINARY,
      "import",  "--data", dir.path,           "--batch", "2000"};
  if (on_postgres()) {
    argv.push_back("--db");
    argv.push_back(store_location(dir.path));
  }
  argv.push_back(file);
  {
    child_process victim{argv};
    // The first progress line comes after a second of writing: some batches
    // are committed, the next one is in flight.
    while (victim.read_line().find(" products imported") == std::string::npos)
      ;
    victim.signal(SIGKILL);
    victim.wait();
  }
  auto imported = "SELECT COUNT(*) FROM products WHERE external_id IS NOT NULL";
  auto before = store_count(dir.path, imported);
  CHECK(before > 0);
  CHECK(before < n);
  CHECK(before % 2000 == 0); // whole batches only
  auto r = run_import(dir.path, {file});
  CHECK(r.exit_code == 0);
  CHECK(ends_with_summary(r.out, "60000 products (0 skipped)"));
  CHECK(store_count(dir.path, imported) == n);
  CHECK(store_count(dir.path, "SELECT COUNT(DISTINCT external_id)"
                              " FROM products") == n);
  CHECK(store_count(dir.path, "SELECT COUNT(*) FROM products") == n + 816);
  CHECK(store_count(dir.path, "SELECT COUNT(*) FROM products p WHERE"
                              " external_id IS NOT NULL AND NOT EXISTS"
                              " (SELECT 1 FROM stock s WHERE"
                              " s.product_id = p.id)") == 0);
  // Every line's stock, as the file says.
  int64_t units = 0;
  std::ifstream in(file);
  for (std::string text; std::getline(in, text);) {
    auto stock = json::parse(text)["stock"];
    for (auto& [w, on_hand] : stock.items())
      units += on_hand.get<int64_t>();
  }
  CHECK(store_count(dir.path, "SELECT SUM(on_hand) FROM stock s JOIN products"
                              " p ON p.id = s.product_id WHERE"
                              " p.external_id IS NOT NULL") == units);
}

TEST_CASE("a file that cannot be read fails the import") {
  temp_dir dir;
  auto r = run_import(dir.path, {dir.path + "/missing.jsonl"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cannot read") != std::string::npos);
}
