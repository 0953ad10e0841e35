#include "actors/cart.hpp"

#include <filesystem>
#include <optional>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "protocols/errors.hpp"
#include "storage/cart_repo.hpp"
#include "storage/catalog_repo.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

using namespace berry;
using namespace std::chrono_literals;

namespace {

using lines_t = std::vector<cart_line>;

/// What a request to the cart manager came back with.
struct answer {
  std::optional<lines_t> lines;
  caf::error err;
};

/// A temp data dir with two customers and three products, a journal and a
/// cart manager on the testing scheduler that rebuilds carts from that
/// database.
struct cart_fixture : test::actor_fixture {
  std::filesystem::path dir;
  storage::store_paths paths;
  journal_actor journal;
  cart_manager_actor carts;
  int spawned = 0;
  cart_actor last_spawned;

  static constexpr auto idle = std::chrono::minutes(1);

  cart_fixture() {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() /
          ("berry-cart-" + std::to_string(rd()) + std::to_string(rd()));
    paths = storage::prepare_store(dir.string());
    auto db = storage::database::open(paths.db);
    db.exec("INSERT INTO users (id, email, name, role, password_hash,"
            " created_at) VALUES"
            " ('u-1', 'anna@example.ru', 'Анна', 'customer', 'x', 1),"
            " ('u-2', 'boris@example.ru', 'Борис', 'customer', 'x', 1)");
    execute(db, storage::upsert_category({"c", "Дом", "", 0}));
    for (auto id : {"p-1", "p-2", "p-3"})
      execute(db, storage::upsert_product({id, "Товар", "", "c", 10000, 1}));
    journal = storage::spawn_journal(sys, {paths.db, "full", 512, false});
    cart_manager_init init;
    init.journal = journal;
    init.load = sqlite_cart_loader(paths.db);
    init.idle_timeout = idle;
    init.detached = false;
    init.on_spawn = [this](const std::string&, const cart_actor& c) {
      ++spawned;
      last_spawned = c;
    };
    carts = spawn_cart_manager(sys, std::move(init));
  }

  ~cart_fixture() {
    caf::anon_send_exit(carts, caf::exit_reason::user_shutdown);
    caf::anon_send(journal, caf::close_atom_v);
    drain();
    last_spawned = nullptr;
    std::filesystem::remove_all(dir);
  }

  /// Sends a request to the manager and runs until it is answered.
  template <class... Ts>
  answer ask(Ts... xs) {
    answer out;
    sys.spawn([&out, this, xs...](caf::event_based_actor* self) {
      self->request(carts, caf::infinite, xs...)
          .then([&out](lines_t& l) { out.lines = std::move(l); },
                [&out](caf::error& e) { out.err = std::move(e); });
    });
    sched.run();
    return out;
  }

  answer put(const std::string& user, const std::string& product, int qty) {
    return ask(caf::put_atom_v, user, product, int32_t{qty});
  }

  answer get(const std::string& user) { return ask(caf::get_atom_v, user); }

  /// The cart as stored, through a connection of its own.
  lines_t stored(const std::string& user) {
    auto db = storage::database::open(paths.db, storage::open_mode::read_only);
    return storage::load_cart(db, user);
  }

  /// Lets `d` of actor time pass, running what falls due on the way.
  void pass(caf::timespan d) {
    for (caf::timespan done{0}; done < d; done += 1s) {
      sched.advance_time(1s);
      sched.run();
    }
  }
};

bool same(const lines_t& xs, std::initializer_list<cart_line> ys) {
  if (xs.size() != ys.size())
    return false;
  auto i = xs.begin();
  for (auto& y : ys) {
    if (i->product_id != y.product_id || i->qty != y.qty)
      return false;
    ++i;
  }
  return true;
}

} // namespace

TEST_CASE("a cart line is set and replaced and removed by its quantity") {
  cart_state st;
  st.set("p-2", 3);
  st.set("p-1", 1);
  st.set("p-2", 5);
  CHECK(same(st.snapshot(), {{"p-1", 1}, {"p-2", 5}}));
  st.set("p-1", 0);
  CHECK(st.qty_of("p-1") == 0);
  CHECK(same(st.snapshot(), {{"p-2", 5}}));
  CHECK(cart_state::valid_qty(0));
  CHECK(cart_state::valid_qty(99));
  CHECK_FALSE(cart_state::valid_qty(100));
  CHECK_FALSE(cart_state::valid_qty(-1));
}

TEST_CASE_METHOD(cart_fixture,
                 "a customer puts and reads and removes cart lines") {
  CHECK(get("u-1").lines->empty());
  CHECK(same(*put("u-1", "p-2", 3).lines, {{"p-2", 3}}));
  CHECK(same(*put("u-1", "p-1", 1).lines, {{"p-1", 1}, {"p-2", 3}}));
  CHECK(same(*put("u-1", "p-2", 7).lines, {{"p-1", 1}, {"p-2", 7}}));
  CHECK(same(*put("u-1", "p-1", 0).lines, {{"p-2", 7}}));
  CHECK(same(*get("u-1").lines, {{"p-2", 7}}));
  CHECK(same(stored("u-1"), {{"p-2", 7}}));
  // Carts are per customer.
  CHECK(get("u-2").lines->empty());
  CHECK(ask(caf::delete_atom_v, std::string{"u-1"}).lines->empty());
  CHECK(get("u-1").lines->empty());
  CHECK(stored("u-1").empty());
}

TEST_CASE_METHOD(cart_fixture,
                 "a quantity outside 0..99 is refused and nothing is stored") {
  put("u-1", "p-1", 2);
  for (int qty : {100, -1, 1000}) {
    auto a = put("u-1", "p-1", qty);
    CHECK_FALSE(a.lines);
    CHECK(is_error(a.err, berry_errc::validation));
  }
  CHECK(same(*get("u-1").lines, {{"p-1", 2}}));
  CHECK(same(stored("u-1"), {{"p-1", 2}}));
}

TEST_CASE_METHOD(cart_fixture, "a change is in the database once answered") {
  std::optional<lines_t> answered;
  sys.spawn([&](caf::event_based_actor* self) {
    self->request(carts, caf::infinite, caf::put_atom_v, std::string{"u-1"},
                  std::string{"p-3"}, int32_t{4})
        .then([&](lines_t& l) { answered = std::move(l); });
  });
  // One message at a time: whenever the answer arrives, the line must
  // already be committed.
  int steps = 0;
  while (!answered && sched.try_run_once())
    ++steps;
  REQUIRE(answered);
  CHECK(steps > 3); // manager, cart, journal and back: not a shortcut
  CHECK(same(*answered, {{"p-3", 4}}));
  CHECK(same(stored("u-1"), {{"p-3", 4}}));
}

TEST_CASE_METHOD(cart_fixture,
                 "a change the database refuses is undone and reported") {
  put("u-1", "p-1", 1);
  // No such product: the foreign key refuses the write.
  auto a = put("u-1", "p-404", 1);
  CHECK_FALSE(a.lines);
  CHECK(is_error(a.err, berry_errc::conflict));
  CHECK(same(*get("u-1").lines, {{"p-1", 1}}));
  CHECK(same(stored("u-1"), {{"p-1", 1}}));
}

TEST_CASE_METHOD(cart_fixture,
                 "an idle cart is passivated and rebuilt from storage") {
  put("u-1", "p-1", 2);
  put("u-1", "p-3", 5);
  REQUIRE(spawned == 1);
  pass(idle / 2);
  CHECK(same(*get("u-1").lines, {{"p-1", 2}, {"p-3", 5}}));
  pass(idle / 2 + 10s);
  CHECK(spawned == 1); // the get above kept it alive
  pass(idle);
  // Passivated: the next request spawns a fresh cart from the database.
  CHECK(same(*get("u-1").lines, {{"p-1", 2}, {"p-3", 5}}));
  CHECK(spawned == 2);
  CHECK(same(*put("u-1", "p-1", 0).lines, {{"p-3", 5}}));
  CHECK(same(stored("u-1"), {{"p-3", 5}}));
}

TEST_CASE_METHOD(cart_fixture, "a cart that crashes is rebuilt from storage") {
  put("u-1", "p-2", 9);
  REQUIRE(spawned == 1);
  auto crashed = last_spawned;
  caf::anon_send_exit(crashed, caf::exit_reason::kill);
  sched.run();
  auto a = get("u-1");
  REQUIRE(a.lines);
  CHECK(same(*a.lines, {{"p-2", 9}}));
  CHECK(spawned == 2);
  CHECK(last_spawned != crashed);
  // The other customers' carts were never involved.
  CHECK(get("u-2").lines->empty());
}
