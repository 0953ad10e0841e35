#include "actors/cart.hpp"

#include <exception>
#include <memory>
#include <optional>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/order_shards.hpp"
#include "config/logging.hpp"
#include "protocols/errors.hpp"
#include "storage/cart_repo.hpp"
#include "storage/database.hpp"

namespace berry {

int32_t cart_state::qty_of(const std::string& product_id) const {
  auto i = lines.find(product_id);
  return i == lines.end() ? 0 : i->second;
}

void cart_state::set(const std::string& product_id, int32_t qty) {
  if (qty == 0)
    lines.erase(product_id);
  else
    lines[product_id] = qty;
}

std::vector<cart_line> cart_state::snapshot() const {
  std::vector<cart_line> out;
  out.reserve(lines.size());
  for (auto& [id, qty] : lines)
    out.push_back({id, qty});
  return out;
}

namespace {

using lines_t = std::vector<cart_line>;
using lines_result = caf::result<lines_t>;

constexpr auto journal_timeout = std::chrono::seconds(10);

// ---------------------------------------------------------------- the cart

/// What a cart starts from.
struct cart_init {
  std::string user_id;
  lines_t lines;
  journal_actor journal;
  caf::actor manager;
};

/// The cart actor's state: the lines plus what journaling them needs.
struct cart_actor_state {
  cart_state cart;
  std::string user_id;
  journal_actor journal;
  caf::actor_addr manager;
  /// Changes applied so far: a failed write is undone only when no later
  /// change was applied on top of it.
  uint64_t changes = 0;
  /// Journal writes not yet answered.
  int pending = 0;
  /// Set once the cart must stop; it quits when no write is pending, so
  /// that every requester still hears whether its change was stored.
  std::optional<caf::error> stopping;
  static inline const char* name = "cart";
};

using cart_ptr = cart_actor::stateful_pointer<cart_actor_state>;

void settle_cart(cart_ptr self) {
  auto& st = self->state;
  if (st.stopping && st.pending == 0)
    self->quit(*st.stopping);
}

void stop(cart_ptr self, caf::error reason) {
  if (!self->state.stopping)
    self->state.stopping = std::move(reason);
  settle_cart(self);
}

caf::error rebuilding() {
  return caf::make_error(berry_errc::unavailable,
                         "the cart is being rebuilt; try again");
}

/// Journals `cmd` for a change already applied; answers the lines as they
/// were right after it, once durable. On failure, `undo` reverts the change
/// if nothing changed since; otherwise memory and storage may disagree, so
/// the cart stops and the manager rebuilds it from storage.
lines_result journal_change(cart_ptr self, journal_command cmd,
                            std::function<void()> undo) {
  auto& st = self->state;
  auto seq = ++st.changes;
  ++st.pending;
  auto after = st.cart.snapshot();
  auto rp = self->make_response_promise<lines_t>();
  self->request(st.journal, journal_timeout, write_atom_v,
                journal_batch{{std::move(cmd)}})
      .then(
          [=](uint64_t) mutable {
            --self->state.pending;
            rp.deliver(std::move(after));
            settle_cart(self);
          },
          [=](caf::error& err) mutable {
            auto& st = self->state;
            --st.pending;
            if (is_error(err, berry_errc::unavailable))
              // Maybe stored, maybe not: the cart is rebuilt from storage.
              stop(self, err);
            else if (st.changes == seq)
              undo();
            else
              stop(self,
                   caf::make_error(berry_errc::storage_failure,
                                   "a cart write failed under later ones"));
            rp.deliver(std::move(err));
            settle_cart(self);
          });
  return rp;
}

cart_actor::behavior_type cart(cart_ptr self, cart_init init) {
  auto& st = self->state;
  st.user_id = std::move(init.user_id);
  for (auto& line : init.lines)
    st.cart.set(line.product_id, line.qty);
  st.journal = std::move(init.journal);
  st.manager = init.manager.address();
  // Passivation and shutdown arrive as exit messages; a cart stops only
  // once its pending writes are answered. Without a manager it stops too.
  self->monitor(init.manager);
  self->set_exit_handler([=](caf::exit_msg& m) { stop(self, m.reason); });
  self->set_down_handler([=](caf::down_msg& m) {
    if (m.source == self->state.manager)
      stop(self, m.reason);
  });
  return {
      [=](caf::get_atom) -> lines_result {
        if (self->state.stopping)
          return rebuilding();
        return self->state.cart.snapshot();
      },
      [=](caf::put_atom, const std::string& product_id,
          int32_t qty) -> lines_result {
        auto& st = self->state;
        if (st.stopping)
          return rebuilding();
        if (!cart_state::valid_qty(qty))
          return caf::make_error(berry_errc::validation,
                                 "qty must be an integer from 0 to 99");
        // The state changes now, so the next message already sees it; the
        // caller hears back only once the change is durable.
        auto before = st.cart.qty_of(product_id);
        st.cart.set(product_id, qty);
        cart_line_set cmd{st.user_id, product_id, qty};
        return journal_change(self, std::move(cmd), [=] {
          self->state.cart.set(product_id, before);
        });
      },
      [=](caf::delete_atom) -> lines_result {
        auto& st = self->state;
        if (st.stopping)
          return rebuilding();
        auto before = std::move(st.cart.lines);
        st.cart.lines.clear();
        return journal_change(self, cart_cleared{st.user_id},
                              [=] { self->state.cart.lines = before; });
      },
  };
}

// ------------------------------------------------------------- the manager

/// The manager's own interface: the public one plus its sweep timer and, in
/// a cluster, the order shards the node stops hosting (their users' carts
/// go to the shard's next owner).
using manager_actor =
    cart_manager_actor::extend<caf::reacts_to<expire_atom>,
                               caf::reacts_to<order_unhost_atom, int32_t>>;

/// A live cart and when it was last asked for anything.
struct cart_entry {
  cart_actor handle;
  caf::actor_clock::time_point last_use;
};

/// The manager's state. It owns the idle timers: a cart leaves `carts` the
/// moment it is told to passivate, so nothing is forwarded to it afterwards.
struct manager_state {
  cart_manager_init init;
  std::unordered_map<std::string, cart_entry> carts;
  bool sweep_armed = false;
  static inline const char* name = "cart_manager";
};

using manager_ptr = manager_actor::stateful_pointer<manager_state>;

/// How often idle carts are looked for: a cart goes between idle_timeout
/// and 1.25 idle_timeout after its last request.
caf::timespan sweep_interval(std::chrono::milliseconds idle) {
  return std::max<caf::timespan>(idle / 4, std::chrono::milliseconds(1));
}

/// Only while carts are live, so an idle system has no timer running.
void arm_sweep(manager_ptr self) {
  auto& st = self->state;
  if (st.sweep_armed || st.carts.empty())
    return;
  st.sweep_armed = true;
  self->delayed_send(self, sweep_interval(st.init.idle_timeout), expire_atom_v);
}

void sweep(manager_ptr self) {
  auto& st = self->state;
  st.sweep_armed = false;
  auto now = self->clock().now();
  for (auto i = st.carts.begin(); i != st.carts.end();) {
    if (now - i->second.last_use >= st.init.idle_timeout) {
      self->demonitor(i->second.handle.address());
      self->send_exit(i->second.handle, caf::exit_reason::user_shutdown);
      i = st.carts.erase(i);
    } else {
      ++i;
    }
  }
  arm_sweep(self);
}

/// The live cart of `user_id`, rebuilt from storage when there is none.
caf::expected<cart_actor> cart_of(manager_ptr self,
                                  const std::string& user_id) {
  auto& st = self->state;
  auto now = self->clock().now();
  if (auto i = st.carts.find(user_id); i != st.carts.end()) {
    i->second.last_use = now;
    return i->second.handle;
  }
  lines_t lines;
  try {
    lines = st.init.load(user_id);
  } catch (const std::exception& e) {
    log::error("cart load failed", {{"user_id", user_id}, {"error", e.what()}});
    return caf::make_error(storage::store_unreachable(e)
                               ? berry_errc::unavailable
                               : berry_errc::storage_failure,
                           "the cart could not be read");
  }
  auto handle =
      self->spawn(cart, cart_init{user_id, std::move(lines), st.init.journal,
                                  caf::actor_cast<caf::actor>(self)});
  self->monitor(handle);
  st.carts.emplace(user_id, cart_entry{handle, now});
  if (st.init.on_spawn)
    st.init.on_spawn(user_id, handle);
  arm_sweep(self);
  return handle;
}

/// Lets go of every cart whose user belongs to order shard `shard`: each
/// stops once its pending writes are answered, and this node rebuilds it
/// from storage if the shard comes back (another node may have changed it).
void unhost(manager_ptr self, int32_t shard) {
  auto& carts = self->state.carts;
  for (auto i = carts.begin(); i != carts.end();) {
    if (order_shard_of(i->first) != shard) {
      ++i;
      continue;
    }
    self->demonitor(i->second.handle.address());
    self->send_exit(i->second.handle, caf::exit_reason::user_shutdown);
    i = carts.erase(i);
  }
}

/// Forgets a cart that stopped by itself (a crash, a failed write): the
/// next request rebuilds it from storage.
void forget(manager_ptr self, const caf::down_msg& m) {
  auto& carts = self->state.carts;
  for (auto i = carts.begin(); i != carts.end(); ++i) {
    if (i->second.handle.address() != m.source)
      continue;
    log::warn("cart stopped", {{"user_id", i->first},
                               {"reason", self->system().render(m.reason)}});
    carts.erase(i);
    return;
  }
}

manager_actor::behavior_type cart_manager(manager_ptr self,
                                          cart_manager_init init) {
  self->state.init = std::move(init);
  self->set_down_handler([=](caf::down_msg& m) { forget(self, m); });
  return {
      [=](caf::get_atom, const std::string& user_id) -> lines_result {
        auto c = cart_of(self, user_id);
        if (!c)
          return std::move(c.error());
        return self->delegate(*c, caf::get_atom_v);
      },
      [=](caf::put_atom, const std::string& user_id,
          const std::string& product_id, int32_t qty) -> lines_result {
        if (!cart_state::valid_qty(qty))
          return caf::make_error(berry_errc::validation,
                                 "qty must be an integer from 0 to 99");
        auto c = cart_of(self, user_id);
        if (!c)
          return std::move(c.error());
        return self->delegate(*c, caf::put_atom_v, product_id, qty);
      },
      [=](caf::delete_atom, const std::string& user_id) -> lines_result {
        auto c = cart_of(self, user_id);
        if (!c)
          return std::move(c.error());
        return self->delegate(*c, caf::delete_atom_v);
      },
      [=](expire_atom) { sweep(self); },
      [=](order_unhost_atom, int32_t shard) { unhost(self, shard); },
  };
}

} // namespace

cart_manager_actor spawn_cart_manager(caf::actor_system& sys,
                                      cart_manager_init init) {
  manager_actor handle;
  if (init.detached)
    handle = sys.spawn<caf::detached>(cart_manager, std::move(init));
  else
    handle = sys.spawn(cart_manager, std::move(init));
  return caf::actor_cast<cart_manager_actor>(handle);
}

cart_loader sqlite_cart_loader(std::string db_path) {
  auto db = std::make_shared<std::unique_ptr<storage::database>>();
  return [db, path = std::move(db_path)](const std::string& user_id) {
    try {
      if (!*db)
        *db = std::make_unique<storage::database>(
            storage::database::open(path, storage::open_mode::read_only));
      return storage::load_cart(**db, user_id);
    } catch (...) {
      db->reset(); // the next load opens a fresh connection
      throw;
    }
  };
}

} // namespace berry
