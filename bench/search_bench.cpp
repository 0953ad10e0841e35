// The in-memory search index on a seeded catalog, in-process: reads the
// products of a `berry seed` file (JSON lines), indexes them as the server
// does, then measures the CPU of each query and checks that the quick ways
// answer what the plain way (every match read and scored) answers.
//
//   search_bench FILE [SECONDS_PER_QUERY] [QUERY...]
//
// Prints per query: its total, microseconds of CPU per search the usual way
// and the plain way, and whether their pages and totals agree.

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "actors/search_index.hpp"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

std::vector<berry::product> read_products(const char* path) {
  std::vector<berry::product> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("title"))
      continue;
    berry::product p;
    p.id = j.value("external_id", "");
    p.title = j.value("title", "");
    p.description = j.value("description", "");
    p.category_id = j.value("category_id", "");
    p.created_at = int64_t(out.size());
    out.push_back(std::move(p));
  }
  return out;
}

// Microseconds of CPU per find of `q`, over about `seconds`.
double time_find(const berry::search_index& index, const berry::search_query& q,
                 double seconds) {
  long n = 0;
  auto t0 = cpu_seconds();
  double t = 0;
  do {
    for (int i = 0; i < 10; ++i)
      index.find(q);
    n += 10;
    t = cpu_seconds() - t0;
  } while (t < seconds);
  return t / double(n) * 1e6;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: search_bench FILE [SECONDS] [QUERY...]\n");
    return 2;
  }
  double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
  std::vector<std::string> texts;
  for (int i = 3; i < argc; ++i)
    texts.push_back(argv[i]);
  if (texts.empty())
    texts = {"платье",          "платье черное", "черное платье женское",
             "кроссовки белые", "летнее платье", "пл"};
  auto products = read_products(argv[1]);
  std::vector<const berry::product*> pointers;
  for (auto& p : products)
    pointers.push_back(&p);
  auto t0 = cpu_seconds();
  berry::search_index index{pointers};
  std::printf("%zu products, indexed in %.1f s: %zu postings, %zu terms with "
              "a bitmap (%zu bytes a product)\n",
              products.size(), cpu_seconds() - t0, index.postings(),
              index.bitmaps(),
              index.bitmaps() * ((products.size() + 63) / 64) * 8 /
                  std::max<std::size_t>(products.size(), 1));
  int failed = 0;
  for (auto& text : texts) {
    berry::search_query q;
    q.words = berry::search_words(text);
    auto plain = q;
    plain.plain = true;
    auto a = index.find(q), b = index.find(plain);
    bool same = a.total == b.total && a.hits.size() == b.hits.size();
    for (std::size_t i = 0; same && i < a.hits.size(); ++i)
      same =
          a.hits[i].doc == b.hits[i].doc && a.hits[i].score == b.hits[i].score;
    failed += !same;
    std::printf("%-28s total %8lld%s  %9.1f us  plain %9.1f us  %s\n",
                text.c_str(), static_cast<long long>(a.total),
                a.estimate ? "~" : " ", time_find(index, q, seconds),
                time_find(index, plain, seconds), same ? "same" : "DIFFERENT");
  }
  return failed ? 1 : 0;
}
