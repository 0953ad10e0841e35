#pragma once

// The storefront's JavaScript modules as a graph, read from their import
// statements, so a page can ask for all the code it needs at once
// (<link rel="modulepreload">) instead of one level of imports per round
// trip.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace berry::http {

/// A module's imports, by file path relative to the web root.
struct module_imports {
  std::vector<std::string> fixed;   ///< import ... from '...'
  std::vector<std::string> dynamic; ///< import('...')
};

/// Modules by path relative to the web root ("js/app.js").
using module_graph = std::map<std::string, module_imports>;

/// The bare names a page's <script type="importmap"> maps, each to a path
/// relative to the web root ("preact" -> "vendor/preact.js").
std::map<std::string, std::string> page_import_map(const std::string& page);

/// The imports of the module at `path` with source `js`, resolved against
/// its folder and `names`; what names no file in `files` is left out.
module_imports read_imports(const std::string& path, const std::string& js,
                            const std::map<std::string, std::string>& names,
                            const std::set<std::string>& files);

/// `roots` and every module they reach through fixed imports, roots first
/// and each once.
std::vector<std::string> fixed_closure(const module_graph& graph,
                                       const std::vector<std::string>& roots);

/// `page` with, before its first module script, a modulepreload link for every
/// module its <script type="module" src="/..."> scripts reach through fixed
/// imports, and a JSON map (<script type="application/json" id="module-deps">)
/// from each module they import dynamically to what that one needs beyond them.
/// `modules`: the JavaScript sources by path relative to the web root.
std::string
add_module_preloads(const std::string& page,
                    const std::map<std::string, std::string>& modules);

} // namespace berry::http
