// GET /api/v1/admin/stock: a page of the admin's stock table in one request.
// The products come from the listing (http/product_listing.hpp); their
// levels from every warehouse at once, gathered as the answers arrive.

#include "http/routes_admin.hpp"

#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "http/auth.hpp"
#include "http/bridge.hpp"
#include "http/catalog_cache.hpp"
#include "http/json_mapping.hpp"
#include "http/product_listing.hpp"
#include "http/routes.hpp"

namespace berry::http {

namespace {

/// The page being filled: a slot per (product, warehouse), answered once
/// every slot is filled, or with the first failure.
struct stock_page {
  product_page page;
  std::vector<std::string> products;    ///< Product documents, in page order
  std::vector<std::string> product_ids; ///< the same products' ids
  std::vector<std::string> warehouse_ids;
  std::vector<stock_level> levels; ///< product-major
  size_t missing = 0;
  bool done = false;
  std::mutex mx;
  responder respond;

  std::string render() const {
    std::string out = "{\"items\":[";
    for (size_t i = 0; i < products.size(); ++i) {
      out += (i ? ",{\"product\":" : "{\"product\":") + products[i] +
             ",\"stock\":[";
      for (size_t w = 0; w < warehouse_ids.size(); ++w) {
        auto& s = levels[i * warehouse_ids.size() + w];
        out += (w ? "," : "") + dump_json({{"warehouse_id", warehouse_ids[w]},
                                           {"on_hand", s.on_hand},
                                           {"reserved", s.reserved}});
      }
      out += "]}";
    }
    return out + "],\"page\":" + std::to_string(page.page) +
           ",\"page_size\":" + std::to_string(page.page_size) +
           ",\"total\":" + std::to_string(page.total) + "}";
  }

  /// Fills one slot; answers when it was the last.
  void fill(size_t slot, const stock_level& s) {
    std::lock_guard lock{mx};
    if (done)
      return;
    levels[slot] = s;
    if (--missing == 0) {
      done = true;
      respond(json_response(render()));
    }
  }

  /// Answers `p` unless the page was answered already.
  void fail(const problem& p, const std::string& request_id) {
    std::lock_guard lock{mx};
    if (!done) {
      done = true;
      respond(problem_response(p, request_id));
    }
  }
};

void ask_levels(const route_env& env, const request& req,
                const std::shared_ptr<stock_page>& sp) {
  sp->missing = sp->levels.size();
  if (sp->missing == 0)
    return sp->respond(json_response(sp->render()));
  auto n = sp->warehouse_ids.size();
  for (size_t slot = 0; slot < sp->levels.size(); ++slot) {
    auto& wh = env.ctx.warehouses.at(sp->warehouse_ids[slot % n]).handle;
    ask<stock_level>(
        *env.ctx.sys, wh, default_ask_timeout,
        [sp, slot](stock_level& s) { sp->fill(slot, s); },
        [sp, rid = req.request_id](const problem& p) { sp->fail(p, rid); },
        stock_atom_v, caf::get_atom_v, sp->product_ids[slot / n]);
  }
}

} // namespace

void get_admin_stock(const route_env& env, const request& req,
                     responder respond) {
  auto who = authorize(env, req, "admin");
  if (!who)
    return respond(problem_response(who.error(), req.request_id));
  auto q = parse_products_query(req.query);
  if (!q)
    return respond(problem_response(q.error(), req.request_id));
  with_products_page(
      env, req, std::move(*q), respond,
      [&env, req, respond](const rendered_catalog&, product_page page) {
        auto sp = std::make_shared<stock_page>();
        for (auto& [id, w] : env.ctx.warehouses)
          sp->warehouse_ids.push_back(id);
        for (auto* p : page.items) {
          sp->products.push_back(p->json());
          sp->product_ids.push_back(p->entry->item.id);
        }
        sp->levels.resize(sp->products.size() * sp->warehouse_ids.size());
        sp->page = std::move(page);
        sp->respond = respond;
        ask_levels(env, req, sp);
      });
}

} // namespace berry::http
