#include "storage/catalog_repo.hpp"

namespace berry::storage {

std::vector<category> load_categories(database& db) {
  std::vector<category> out;
  auto stmt = db.prepare(sql::select_categories);
  while (stmt.step()) {
    category x;
    x.id = stmt.col_text(0);
    x.name = stmt.col_text(1);
    x.parent_id = stmt.col_text(2); // NULL reads as ""
    x.position = static_cast<int32_t>(stmt.col_int(3));
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<product> load_products(database& db) {
  std::vector<product> out;
  auto stmt = db.prepare(sql::select_products);
  while (stmt.step()) {
    product x;
    x.id = stmt.col_text(0);
    x.title = stmt.col_text(1);
    x.description = stmt.col_text(2);
    x.category_id = stmt.col_text(3);
    x.price = stmt.col_int(4);
    x.created_at = stmt.col_int(5);
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<warehouse_info> load_warehouses(database& db) {
  std::vector<warehouse_info> out;
  auto stmt = db.prepare(sql::select_warehouses);
  while (stmt.step()) {
    warehouse_info x;
    x.id = stmt.col_text(0);
    x.name = stmt.col_text(1);
    x.location = {stmt.col_real(2), stmt.col_real(3)};
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<stock_level> load_stock(database& db,
                                    const std::string& warehouse_id) {
  std::vector<stock_level> out;
  auto stmt = db.prepare(sql::select_stock);
  stmt.bind(1, warehouse_id);
  while (stmt.step()) {
    stock_level x;
    x.warehouse_id = stmt.col_text(0);
    x.product_id = stmt.col_text(1);
    x.on_hand = stmt.col_int(2);
    x.reserved = stmt.col_int(3);
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<courier_info> load_couriers(database& db) {
  std::vector<courier_info> out;
  auto stmt = db.prepare(sql::select_couriers);
  while (stmt.step()) {
    courier_info x;
    x.id = stmt.col_text(0);
    x.name = stmt.col_text(1);
    x.location = {stmt.col_real(2), stmt.col_real(3)};
    out.push_back(std::move(x));
  }
  return out;
}

db_statement upsert_category(const category& x) {
  auto parent =
      x.parent_id.empty() ? db_value::null() : db_value::of(x.parent_id);
  return {sql::upsert_category,
          {db_value::of(x.id), db_value::of(x.name), std::move(parent),
           db_value::of(int64_t{x.position})}};
}

db_statement upsert_product(const product& x) {
  return {sql::upsert_product,
          {db_value::of(x.id), db_value::of(x.title),
           db_value::of(x.description), db_value::of(x.category_id),
           db_value::of(x.price), db_value::of(x.created_at)}};
}

db_statement upsert_warehouse(const warehouse_info& x) {
  return {sql::upsert_warehouse,
          {db_value::of(x.id), db_value::of(x.name),
           db_value::of(x.location.lat), db_value::of(x.location.lon)}};
}

db_statement put_stock(const stock_level& x) {
  return {sql::put_stock,
          {db_value::of(x.warehouse_id), db_value::of(x.product_id),
           db_value::of(x.on_hand), db_value::of(x.reserved)}};
}

db_statement upsert_courier(const courier_info& x) {
  return {sql::upsert_courier,
          {db_value::of(x.id), db_value::of(x.name),
           db_value::of(x.location.lat), db_value::of(x.location.lon)}};
}

std::vector<db_statement> statements_for(const product_put& x) {
  return {upsert_product(x.item)};
}

std::vector<db_statement> statements_for(const courier_moved& x) {
  return {upsert_courier(x.courier)};
}

} // namespace berry::storage
