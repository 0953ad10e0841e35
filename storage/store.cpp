#include "storage/store.hpp"

#include <chrono>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "config/logging.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/migrations.hpp"

namespace berry::storage {

namespace {

constexpr const char* select_seeded =
    "SELECT value FROM meta WHERE key = 'seeded'";

constexpr const char* insert_seeded =
    "INSERT INTO meta (key, value) VALUES ('seeded', ?1)";

// Parents before children, whatever order `data` lists them in, so that
// every parent_id refers to a row already there. A parent that is not in the
// list at all (or a cycle) is left to the foreign key to refuse.
std::vector<const category*> parents_first(const std::vector<category>& xs) {
  std::unordered_map<std::string, const category*> by_id;
  for (const auto& x : xs)
    by_id.emplace(x.id, &x);
  std::vector<const category*> out;
  std::unordered_set<std::string> placed;
  std::unordered_set<std::string> visiting;
  auto place = [&](const category* x, auto& self) -> void {
    if (placed.count(x->id) || !visiting.insert(x->id).second)
      return;
    auto parent = by_id.find(x->parent_id);
    if (!x->parent_id.empty() && parent != by_id.end())
      self(parent->second, self);
    placed.insert(x->id);
    out.push_back(x);
  };
  for (const auto& x : xs)
    place(&x, place);
  return out;
}

} // namespace

store_paths prepare_store(const std::string& data_dir,
                          const std::string& db_location) {
  std::filesystem::create_directories(data_dir);
  // It holds password hashes, emails, addresses and the token key: its
  // owner's alone. A dir that is not ours to change (say, an operator's
  // mount) is left as it is, with a warning.
  std::error_code ec;
  std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (ec)
    log::warn("the data dir is not only its owner's",
              {{"dir", data_dir}, {"error", ec.message()}});
  store_paths out{data_dir,
                  db_location.empty() ? data_dir + "/berry.db" : db_location};
  auto db = database::open(out.db, open_mode::read_write);
  migrate(db);
  return out;
}

bool is_seeded(database& db) {
  auto stmt = db.prepare(select_seeded);
  return stmt.step();
}

bool seed_if_empty(database& db, const marketplace& data) {
  transaction tx{db};
  // Checked inside the write transaction: two processes cannot both seed.
  if (is_seeded(db))
    return false;
  statement_cache cache{db};
  for (const auto* x : parents_first(data.categories))
    cache.execute(upsert_category(*x));
  for (const auto& x : data.products)
    cache.execute(upsert_product(x));
  for (const auto& x : data.warehouses)
    cache.execute(upsert_warehouse(x));
  for (const auto& x : data.couriers)
    cache.execute(upsert_courier(x));
  for (const auto& x : data.stock)
    cache.execute(put_stock(x));
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  auto stmt = db.prepare(insert_seeded);
  stmt.bind(1, std::to_string(now.count()));
  stmt.run();
  tx.commit();
  return true;
}

} // namespace berry::storage
