// Effects as short texts: what the saga decided, readable in a log line or
// a test's expectation.

#include "actors/order_saga.hpp"

namespace berry {

namespace {

std::string error_text(berry_errc x) {
  return x == berry_errc::none ? "order" : to_slug(x);
}

} // namespace

std::string describe(const order_effect& x, const order_record& rec) {
  namespace e = order_effects;
  return std::visit(
      [&](auto& y) -> std::string {
        using T = std::decay_t<decltype(y)>;
        if constexpr (std::is_same_v<T, e::ask_stock>)
          return "ask stock " + y.warehouse_id + " " + y.product_id;
        else if constexpr (std::is_same_v<T, e::reserve>)
          return "reserve " + y.warehouse_id;
        else if constexpr (std::is_same_v<T, e::release>)
          return "release " + y.warehouse_id;
        else if constexpr (std::is_same_v<T, e::commit>)
          return "commit " + y.warehouse_id +
                 (y.paid_at_ms >= 0 ? " with paid" : "");
        else if constexpr (std::is_same_v<T, e::restock>)
          return "restock " + y.warehouse_id;
        else if constexpr (std::is_same_v<T, e::charge>)
          return "charge " + y.req.key;
        else if constexpr (std::is_same_v<T, e::refund>)
          return "refund " + y.req.key;
        else if constexpr (std::is_same_v<T, e::journal>) {
          if (y.change.what == order_change::kind::planned)
            return "journal plan";
          if (y.change.what == order_change::kind::reason_recorded)
            return std::string{"journal reason "} +
                   to_string(rec.cancel_reason);
          std::string out = "journal";
          for (auto i = y.change.first_entry; i < rec.history.size(); ++i)
            out += std::string{" "} + to_string(rec.history[i].status);
          return out;
        } else if constexpr (std::is_same_v<T, e::publish_status>)
          return std::string{"publish "} +
                 (y.index < rec.history.size()
                      ? to_string(rec.history[y.index].status)
                      : "?");
        else if constexpr (std::is_same_v<T, e::publish_courier>)
          return "publish courier";
        else if constexpr (std::is_same_v<T, e::dispatch>)
          return std::string{"dispatch "} + to_string(y.task.status);
        else if constexpr (std::is_same_v<T, e::withdraw>)
          return "withdraw";
        else if constexpr (std::is_same_v<T, e::empty_cart>)
          return "empty cart";
        else if constexpr (std::is_same_v<T, e::answer_waiters>)
          return "answer waiters";
        else if constexpr (std::is_same_v<T, e::answer_cancellers>)
          return "answer cancellers";
        else if constexpr (std::is_same_v<T, e::refuse_cancellers>)
          return "refuse cancellers " + error_text(y.error);
        else if constexpr (std::is_same_v<T, e::answer_asker>)
          return "answer asker " + error_text(y.error);
        else if constexpr (std::is_same_v<T, e::keep_asker>)
          return "keep asker";
        else if constexpr (std::is_same_v<T, e::retry_in>)
          return "retry in " + std::to_string(y.after.count()) + "ms";
        else if constexpr (std::is_same_v<T, e::redispatch_in>)
          return "redispatch in " + std::to_string(y.after.count()) + "ms";
        else
          return "stop";
      },
      x);
}

} // namespace berry
