#include "http/static_files_modules.hpp"

#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

namespace berry::http {

std::map<std::string, std::string> page_import_map(const std::string& page) {
  std::map<std::string, std::string> out;
  auto tag = page.find("<script type=\"importmap\">");
  if (tag == std::string::npos)
    return out;
  auto start = page.find('>', tag) + 1;
  auto end = page.find("</script>", start);
  auto map =
      nlohmann::json::parse(page.substr(start, end - start), nullptr, false);
  if (!map.is_object() || !map.contains("imports") ||
      !map["imports"].is_object())
    return out;
  for (auto& [name, url] : map["imports"].items())
    if (url.is_string() && url.get<std::string>().rfind("/", 0) == 0)
      out[name] = url.get<std::string>().substr(1);
  return out;
}

module_imports read_imports(const std::string& path, const std::string& js,
                            const std::map<std::string, std::string>& names,
                            const std::set<std::string>& files) {
  // Good enough for our own modules: a fixed import is a specifier in quotes
  // after `from` or `import`; any other quoted relative path to a .js file is
  // a module loaded later (import('./x.js'), or a path handed to a loader).
  // Matches in comments that name no file are dropped below.
  static const std::regex fixed{
      R"re(\b(?:from|import)\s*['"]([^'"\n]+)['"])re"};
  static const std::regex later{R"re(['"](\.\.?/[^'"\n]+\.js)['"])re"};
  auto folder = std::filesystem::path{path}.parent_path();
  auto resolve = [&](const std::string& text) -> std::string {
    if (text.rfind("./", 0) == 0 || text.rfind("../", 0) == 0)
      return (folder / text).lexically_normal().generic_string();
    if (text.rfind("/", 0) == 0)
      return text.substr(1);
    auto named = names.find(text);
    return named == names.end() ? std::string{} : named->second;
  };
  module_imports out;
  std::set<std::string> seen;
  for (std::sregex_iterator it{js.begin(), js.end(), fixed}, end; it != end;
       ++it)
    if (auto target = resolve((*it)[1].str());
        files.count(target) && seen.insert(target).second)
      out.fixed.push_back(target);
  for (std::sregex_iterator it{js.begin(), js.end(), later}, end; it != end;
       ++it)
    if (auto target = resolve((*it)[1].str());
        files.count(target) && seen.insert(target).second)
      out.dynamic.push_back(target);
  return out;
}

std::vector<std::string> fixed_closure(const module_graph& graph,
                                       const std::vector<std::string>& roots) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::vector<std::string> todo{roots.rbegin(), roots.rend()};
  while (!todo.empty()) {
    auto next = todo.back();
    todo.pop_back();
    if (!seen.insert(next).second)
      continue;
    out.push_back(next);
    if (auto it = graph.find(next); it != graph.end())
      todo.insert(todo.end(), it->second.fixed.rbegin(),
                  it->second.fixed.rend());
  }
  return out;
}

std::string
add_module_preloads(const std::string& page,
                    const std::map<std::string, std::string>& modules) {
  // Before the first module script, so a script that reads the map finds it.
  auto at = page.find("<script type=\"module\"");
  if (at == std::string::npos)
    return page;
  auto names = page_import_map(page);
  std::set<std::string> files;
  for (auto& [path, _] : modules)
    files.insert(path);
  module_graph graph;
  for (auto& [path, js] : modules)
    graph[path] = read_imports(path, js, names, files);
  static const std::regex entry{R"re(<script type="module" src="/([^"]+)")re"};
  std::vector<std::string> roots;
  for (std::sregex_iterator it{page.begin(), page.end(), entry}, end; it != end;
       ++it)
    if (files.count((*it)[1].str()))
      roots.push_back((*it)[1].str());
  if (roots.empty())
    return page;
  auto first = fixed_closure(graph, roots);
  std::set<std::string> have{first.begin(), first.end()};
  std::string links;
  for (auto& m : first)
    links += "<link rel=\"modulepreload\" href=\"/" + m + "\">\n  ";
  auto later = nlohmann::json::object();
  for (auto& m : first)
    for (auto& target : graph[m].dynamic) {
      auto needs = nlohmann::json::array();
      for (auto& d : fixed_closure(graph, {target}))
        if (!have.count(d))
          needs.push_back("/" + d);
      later["/" + target] = needs;
    }
  links += "<script type=\"application/json\" id=\"module-deps\">" +
           later.dump() + "</script>\n";
  return page.substr(0, at) + links + "  " + page.substr(at);
}

} // namespace berry::http
