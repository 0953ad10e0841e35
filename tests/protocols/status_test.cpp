#include "protocols/status.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>

#include "protocols/commerce.hpp"

using namespace berry;

namespace {

/// Writes `x` as CAF does for a message between actors or nodes, and reads
/// it back.
template <class T>
T round_trip(T x) {
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  REQUIRE(!sink(x));
  T out;
  caf::binary_deserializer source{nullptr, buf};
  REQUIRE(!source(out));
  return out;
}

/// Checks that every value in `texts` prints as its text and reads back.
template <class Enum>
void check_texts(const std::vector<std::pair<Enum, std::string>>& texts) {
  for (auto& [value, text] : texts) {
    INFO(text);
    CHECK(to_string(value) == text);
    Enum back{};
    REQUIRE(from_string(text, back));
    CHECK(back == value);
  }
}

} // namespace

TEST_CASE("every status has the text the API and the database always had") {
  using os = order_status;
  check_texts<os>({{os::none, ""},
                   {os::pending, "pending"},
                   {os::reserved, "reserved"},
                   {os::paid, "paid"},
                   {os::packed, "packed"},
                   {os::courier_assigned, "courier_assigned"},
                   {os::picked_up, "picked_up"},
                   {os::delivered, "delivered"},
                   {os::cancelled, "cancelled"},
                   {os::returned, "returned"}});
  using hs = hold_state;
  check_texts<hs>({{hs::reserved, "reserved"},
                   {hs::committed, "committed"},
                   {hs::released, "released"},
                   {hs::restocked, "restocked"}});
  using ps = payment_status;
  check_texts<ps>({{ps::captured, "captured"},
                   {ps::declined, "declined"},
                   {ps::refunded, "refunded"},
                   {ps::processing, "processing"},
                   {ps::unknown, "unknown"},
                   {ps::failed, "failed"}});
  check_texts<payment_kind>(
      {{payment_kind::charge, "charge"}, {payment_kind::refund, "refund"}});
  using cs = courier_state;
  check_texts<cs>({{cs::idle, "idle"},
                   {cs::to_pickup, "to_pickup"},
                   {cs::to_dropoff, "to_dropoff"},
                   {cs::offline, "offline"}});
  using cr = compensation_reason;
  check_texts<cr>({{cr::none, ""},
                   {cr::out_of_stock, "out-of-stock"},
                   {cr::payment_declined, "payment-declined"},
                   {cr::payment_error, "payment-error"},
                   {cr::customer, "customer"},
                   {cr::reservation_expired, "reservation-expired"},
                   {cr::warehouse_unavailable, "warehouse-unavailable"},
                   {cr::customer_return, "return"}});
  check_texts<tracking_type>(
      {{tracking_type::status, "status"}, {tracking_type::courier, "courier"}});
}

TEST_CASE("text that names no status is refused and changes nothing") {
  auto status = order_status::paid;
  CHECK_FALSE(from_string("Paid", status));
  CHECK_FALSE(from_string("shipped", status));
  CHECK(status == order_status::paid);
  auto reason = compensation_reason::customer;
  CHECK_FALSE(from_string("out_of_stock", reason)); // the text has hyphens
  CHECK(reason == compensation_reason::customer);
  auto kind = payment_kind::refund;
  CHECK_FALSE(from_string("", kind));
  CHECK(kind == payment_kind::refund);
}

TEST_CASE("only delivered, cancelled and returned orders are final") {
  for (auto s : {order_status::delivered, order_status::cancelled,
                 order_status::returned})
    CHECK(is_final(s));
  for (auto s :
       {order_status::none, order_status::pending, order_status::reserved,
        order_status::paid, order_status::packed,
        order_status::courier_assigned, order_status::picked_up})
    CHECK_FALSE(is_final(s));
}

TEST_CASE("an order crosses the wire with its statuses, and logs as text") {
  order_record x;
  x.id = "o-1";
  x.status = order_status::cancelled;
  x.cancel_reason = compensation_reason::payment_declined;
  x.history = {{order_status::pending, 1}, {order_status::cancelled, 2}};
  auto back = round_trip(x);
  CHECK(back.status == order_status::cancelled);
  CHECK(back.cancel_reason == compensation_reason::payment_declined);
  REQUIRE(back.history.size() == 2);
  CHECK(back.history[0].status == order_status::pending);
  auto ev = round_trip(tracking_event{
      "o-1", tracking_type::courier, order_status::none, 0, 3, {}, 60});
  CHECK(ev.type == tracking_type::courier);
  CHECK(caf::deep_to_string(back.status) == "cancelled");
}
