#include "storage/sqlite_commands.hpp"

#include <caf/variant.hpp>

#include "storage/accounts_repo.hpp"
#include "storage/cart_repo.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/order_repo.hpp"
#include "storage/payment_repo.hpp"
#include "storage/stock_repo.hpp"

namespace berry::storage {

namespace {

// Picks the statements_for overload of the command's kind. Taking the
// overload's address (not calling by name) makes a kind without one a
// compile error; a call would convert back to journal_command and recurse.
struct to_statements {
  using result_type = std::vector<db_statement>;

  template <class Command>
  result_type operator()(const Command& x) const {
    result_type (*of_kind)(const Command&) = &statements_for;
    return of_kind(x);
  }
};

} // namespace

std::vector<db_statement> statements_for(const probe_written& x) {
  return {{sql::insert_probe, {db_value::of(x.payload)}}};
}

std::vector<db_statement> statements_for(const journal_command& cmd) {
  return caf::visit(to_statements{}, cmd);
}

void apply(statement_cache& cache, const journal_command& cmd) {
  // A stock delta nearly always finds its row (every reservation and sale
  // does): the UPDATE alone, and the row made first only when it changed
  // nothing. Two statements per delta were one INSERT that did nothing.
  if (const auto* x = caf::get_if<stock_changed>(&cmd)) {
    auto add = add_stock(x->delta, x->sold);
    cache.execute(add);
    if (cache.changes() == 0) {
      cache.execute(
          ensure_stock_row(x->delta.warehouse_id, x->delta.product_id));
      cache.execute(add);
    }
    return;
  }
  for (const auto& x : statements_for(cmd))
    cache.execute(x);
}

} // namespace berry::storage
