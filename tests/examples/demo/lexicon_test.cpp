// Filling the demo's patterns: a table named twice in one product gives the
// same word, a slot picks a grammatical form, and a pattern that names no
// table or does not close its slot is refused.

#include <catch2/catch.hpp>

#include <stdexcept>

#include "examples/demo/lexicon.hpp"

using namespace berry::demo;

namespace {

lexicon small_lexicon() {
  return lexicon{R"({"colours": {
                       "color": ["белый|белая|белое", "синий|синяя|синее"]},
                     "clothes": {"fabric": ["лён", "хлопок", "шёлк"]}})",
                 R"({"feat_clothes": ["Ткань дышит."]})"};
}

} // namespace

TEST_CASE("a table named twice in one product gives the same word") {
  auto words = small_lexicon();
  for (uint64_t seed = 0; seed < 20; ++seed) {
    demo_rng rng{seed};
    choices chosen;
    auto title = words.fill("{fabric} и {fabric}", rng, chosen);
    auto first = title.substr(0, title.find(" и "));
    CHECK(title == first + " и " + first);
  }
}

TEST_CASE("a slot takes the form it names, else the first") {
  auto words = small_lexicon();
  demo_rng rng{1};
  choices chosen{{"color", 1}};
  CHECK(words.fill("платье {color:2}", rng, chosen) == "платье синее");
  CHECK(words.fill("юбка {color:1}", rng, chosen) == "юбка синяя");
  CHECK(words.fill("шарф {color}", rng, chosen) == "шарф синий");
  CHECK(words.fill("шарф {color:7}", rng, chosen) == "шарф синий");
}

TEST_CASE("sentences are tables like the words") {
  auto words = small_lexicon();
  demo_rng rng{1};
  choices chosen;
  CHECK(words.fill("Лёгкое. {feat_clothes}", rng, chosen) ==
        "Лёгкое. Ткань дышит.");
}

TEST_CASE("a pattern naming no table or not closing a slot is refused") {
  auto words = small_lexicon();
  demo_rng rng{1};
  choices chosen;
  CHECK_THROWS_AS(words.fill("{size_ru}", rng, chosen), std::logic_error);
  CHECK_THROWS_AS(words.fill("платье {color", rng, chosen), std::logic_error);
}
