// The catalog at scale, in-process: loads N generated products into the
// catalog state, the warehouses' stock and the edge's rendered view, then
// measures resident memory per product and the CPU that one stock change
// costs on its way to the edge (the catalog's snapshot plus its rendering),
// as the real server does it on the catalog actor's thread.
//
//   catalog_bench [N,N,...] [SECONDS_PER_MEASURE]
//
// Prints one line per N: load seconds, bytes per product, microseconds of
// CPU per stock change (one change per snapshot), per changed product with
// 16 changes per snapshot, per product added, and nanoseconds to find one
// product's document and copy it out (what a GET of a product does per
// request: the document kept after its first request while the budget of
// kept documents lasts, written again past it).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <malloc.h>
#include <random>
#include <string>
#include <vector>

#include "actors/catalog.hpp"
#include "actors/warehouse.hpp"
#include "http/catalog_cache.hpp"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

long resident_bytes() {
  long pages = 0, rss = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &rss) != 2)
      rss = 0;
    std::fclose(f);
  }
  return rss * 4096;
}

std::string product_id(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "p-%06zu", i);
  return buf;
}

// Titles and descriptions of the demo's length (Cyrillic, 2 bytes a letter):
// about 45 and 220 bytes.
berry::product make_product(size_t i, std::mt19937& rng) {
  static const char* words[] = {"Платье",    "вечернее", "хлопковое", "синее",
                                "Чайник",    "стальной", "Куртка",    "зимняя",
                                "Кроссовки", "беговые",  "Сковорода", "лёгкая"};
  auto word = [&] { return std::string(words[rng() % 12]); };
  berry::product p;
  p.id = product_id(i);
  p.title = word() + " " + word() + " " + word();
  for (int w = 0; w < 14; ++w)
    p.description += word() + (w % 5 == 4 ? ". " : " ");
  p.category_id = "c-" + std::to_string(rng() % 63);
  p.price = 10000 + long(rng() % 1000000);
  p.created_at = 1700000000 + long(i);
  return p;
}

struct world {
  berry::catalog_state catalog;
  std::vector<berry::warehouse_state> warehouses;
  berry::http::catalog_cache edge;

  void publish() { edge.publish(catalog.build()); }
};

// Loads n products as the node does: products, then every warehouse's
// report, then the first snapshot and its rendering.
void load(world& w, size_t n) {
  std::mt19937 rng(42);
  for (int c = 0; c < 63; ++c)
    w.catalog.categories.push_back(
        {"c-" + std::to_string(c), "Категория", c > 0 ? "c-0" : "", c});
  w.catalog.expected_warehouses = 3;
  for (size_t i = 1; i <= n; ++i)
    w.catalog.put(make_product(i, rng));
  w.warehouses.resize(3);
  for (size_t k = 0; k < 3; ++k) {
    auto& wh = w.warehouses[k];
    wh.info.id = "w-" + std::to_string(k + 1);
    berry::availability_report r{wh.info.id, {}};
    // Every product in two warehouses, half of them in a third (the demo
    // stocks 2.5 per product).
    for (size_t i = 1; i <= n; ++i)
      if (i % 3 != k || i % 2 == 0) {
        auto units = int64_t(rng() % 100);
        wh.set_on_hand(product_id(i), units);
        r.items.push_back({product_id(i), units});
      }
    w.catalog.apply(r);
  }
  w.publish();
}

// CPU microseconds per stock change with `per_snapshot` changes gathered
// into each snapshot, for about `seconds` of CPU.
double change_cost(world& w, size_t n, size_t per_snapshot, double seconds) {
  std::mt19937 rng(7);
  size_t changes = 0;
  auto start = cpu_seconds();
  while (cpu_seconds() - start < seconds || changes == 0) {
    for (size_t k = 0; k < per_snapshot; ++k) {
      auto id = product_id(1 + rng() % n);
      w.catalog.apply({"w-1", {{id, int64_t(rng() % 1000 + 100)}}});
    }
    w.publish();
    changes += per_snapshot;
  }
  return (cpu_seconds() - start) * 1e6 / double(changes);
}

// CPU nanoseconds to get one product's document, as GET
// /api/v1/products/{id} does per request (random products, warm catalog).
double document_cost(world& w, size_t n, double seconds) {
  std::mt19937 rng(11);
  auto view = w.edge.load();
  size_t written = 0, bytes = 0;
  auto start = cpu_seconds();
  while (cpu_seconds() - start < seconds || written == 0) {
    for (int k = 0; k < 1000; ++k, ++written)
      bytes += view->find(product_id(1 + rng() % n))->json().size();
  }
  if (bytes == 0)
    std::abort();
  return (cpu_seconds() - start) * 1e9 / double(written);
}

double add_cost(world& w, size_t n, double seconds) {
  std::mt19937 rng(9);
  size_t added = 0;
  auto start = cpu_seconds();
  while (cpu_seconds() - start < seconds || added == 0) {
    w.catalog.put(make_product(n + 1 + added++, rng));
    w.publish();
  }
  return (cpu_seconds() - start) * 1e6 / double(added);
}

} // namespace

int main(int argc, char** argv) {
  std::vector<size_t> sizes{10000, 100000, 1000000};
  if (argc > 1) {
    sizes.clear();
    for (char* s = argv[1]; *s;) {
      sizes.push_back(std::strtoull(s, &s, 10));
      if (*s == ',')
        ++s;
    }
  }
  double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
  std::printf("| products | load s | bytes/product | us CPU per change "
              "(1 per snapshot) | us per changed product (16 per snapshot) "
              "| us per product added | ns per product document |\n"
              "|---:|---:|---:|---:|---:|---:|---:|\n");
  for (auto n : sizes) {
    malloc_trim(0);
    auto before = resident_bytes();
    auto t0 = std::chrono::steady_clock::now();
    auto w = std::make_unique<world>();
    load(*w, n);
    auto load_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    malloc_trim(0);
    auto per_product = double(resident_bytes() - before) / double(n);
    auto one = change_cost(*w, n, 1, seconds);
    auto sixteen = change_cost(*w, n, 16, seconds);
    auto document = document_cost(*w, n, seconds / 4);
    auto add = add_cost(*w, n, seconds);
    std::printf("| %zu | %.2f | %.0f | %.1f | %.1f | %.1f | %.0f |\n", n,
                load_s, per_product, one, sixteen, add, document);
    std::fflush(stdout);
  }
}
