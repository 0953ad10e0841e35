#include "examples/demo/lexicon.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace berry::demo {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos)
      return parts;
    start = end + 1;
  }
}

} // namespace

lexicon::lexicon(std::string_view words_json, std::string_view sentences_json) {
  auto words = nlohmann::json::parse(words_json);
  for (auto& [section, tables] : words.items())
    for (auto& [name, items] : tables.items())
      add(name, items.get<std::vector<std::string>>());
  auto sentences = nlohmann::json::parse(sentences_json);
  for (auto& [name, items] : sentences.items())
    add(name, items.get<std::vector<std::string>>());
}

void lexicon::add(const std::string& name,
                  const std::vector<std::string>& items) {
  auto& entries = tables_[name];
  for (const auto& item : items)
    entries.push_back(split(item, '|'));
}

const std::vector<lexicon::entry>&
lexicon::table(const std::string& name) const {
  auto i = tables_.find(name);
  if (i == tables_.end())
    throw std::logic_error("demo data: no word table " + name);
  return i->second;
}

// A slot such as "color:2": the form 2 of the colour drawn for this
// product, drawing it now if the product has none yet.
std::string lexicon::slot_word(const std::string& slot, demo_rng& rng,
                               choices& chosen) const {
  auto colon = slot.find(':');
  auto name = slot.substr(0, colon);
  size_t form = colon == std::string::npos
                    ? 0
                    : static_cast<size_t>(std::stoul(slot.substr(colon + 1)));
  const auto& entries = table(name);
  auto i = chosen.find(name);
  if (i == chosen.end())
    i = chosen.emplace(name, rng.below(entries.size())).first;
  const auto& forms = entries[i->second];
  return form < forms.size() ? forms[form] : forms[0];
}

std::string lexicon::fill(const std::string& pattern, demo_rng& rng,
                          choices& chosen) const {
  std::string out;
  size_t at = 0;
  while (at < pattern.size()) {
    auto open = pattern.find('{', at);
    if (open == std::string::npos) {
      out.append(pattern, at, std::string::npos);
      break;
    }
    auto close = pattern.find('}', open);
    if (close == std::string::npos)
      throw std::logic_error("demo data: unclosed slot in " + pattern);
    out.append(pattern, at, open - at);
    out += slot_word(pattern.substr(open + 1, close - open - 1), rng, chosen);
    at = close + 1;
  }
  return out;
}

} // namespace berry::demo
