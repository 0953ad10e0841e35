#include "http/websocket_session.hpp"

#include <algorithm>

#include "actors/clock.hpp"
#include "config/logging.hpp"
#include "http/metrics.hpp"

namespace berry::http {

namespace websocket = beast::websocket;

namespace {

/// Incoming frames larger than this close the socket with 1009.
constexpr std::size_t read_limit = 4096;

} // namespace

websocket_session::websocket_session(beast::tcp_stream&& stream,
                                     std::shared_ptr<edge_state> state,
                                     std::shared_ptr<ws_endpoint> endpoint)
    : ws_(std::move(stream)), state_(std::move(state)),
      endpoint_(std::move(endpoint)),
      queue_limit_(std::max<size_t>(1, state_->ctx.cfg->ws_queue_frames)) {}

websocket_session::~websocket_session() {
  state_->remove_session(key_);
}

void websocket_session::run(bhttp::request<bhttp::string_body> req) {
  key_ = state_->add_session(weak_from_this());
  // The HTTP session's deadline no longer applies: the WebSocket's own
  // timeouts (handshake, idle with pings) take over.
  beast::get_lowest_layer(ws_).expires_never();
  auto timeouts =
      websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = state_->ctx.cfg->ws_idle_timeout;
  ws_.set_option(timeouts);
  ws_.set_option(
      websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(bhttp::field::server, "berry");
      }));
  ws_.read_message_max(read_limit);
  ws_.text(true);
  if (int bytes = state_->ctx.cfg->ws_send_buffer; bytes > 0) {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().set_option(
        net::socket_base::send_buffer_size(bytes), ec);
  }
  ws_.async_accept(req, beast::bind_front_handler(&websocket_session::on_accept,
                                                  shared_from_this()));
}

void websocket_session::on_accept(beast::error_code ec) {
  if (ec) {
    log::warn("websocket handshake failed", {{"error", ec.message()}});
    return finish();
  }
  open_ = true;
  if (state_->ctx.stats)
    state_->ctx.stats->tracking_opened();
  endpoint_->on_open(shared_from_this());
  do_read();
}

void websocket_session::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&websocket_session::on_read,
                                                    shared_from_this()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // websocket::error::closed: the client closed; message_too_big: Beast
    // has sent 1009; timeout: the client answered no ping (it stopped
    // reading altogether), and Beast closed the socket. Either way this
    // socket is done.
    if (ec == beast::error::timeout) {
      log::warn("tracking client dropped: it answers no ping", {});
      if (state_->ctx.stats)
        state_->ctx.stats->tracking_dropped();
    }
    return finish();
  }
  // Clients have nothing to say on this socket; what they send is dropped.
  buffer_.consume(buffer_.size());
  do_read();
}

void websocket_session::send(ws_frame frame, int64_t event_ms) {
  push({std::move(frame), event_ms, false});
}

void websocket_session::send_latest(ws_frame frame, int64_t event_ms) {
  push({std::move(frame), event_ms, true});
}

void websocket_session::push(queued q) {
  {
    std::lock_guard<std::mutex> lock{inbox_mtx_};
    if (q.latest && !inbox_.empty() && inbox_.back().latest) {
      inbox_.back() = std::move(q);
      return;
    }
    inbox_.push_back(std::move(q));
    if (inbox_posted_)
      return; // the strand takes it with the others
    inbox_posted_ = true;
  }
  net::post(ws_.get_executor(),
            [self = shared_from_this()] { self->take_inbox(); });
}

void websocket_session::take_inbox() {
  {
    std::lock_guard<std::mutex> lock{inbox_mtx_};
    taken_.swap(inbox_);
    inbox_posted_ = false;
  }
  for (auto& q : taken_)
    enqueue(std::move(q.text), q.event_ms, q.latest);
  taken_.clear();
}

void websocket_session::enqueue(ws_frame frame, int64_t event_ms, bool latest) {
  if (!open_ || closing_ || close_after_queue_ || !frame)
    return;
  // The front is being written while writing_: it stays as it is.
  bool unsent_back = queue_.size() > (writing_ ? 1u : 0u);
  if (latest && unsent_back && queue_.back().latest) {
    queue_.back().text = std::move(frame);
    queue_.back().event_ms = event_ms;
    return;
  }
  if (queue_.size() >= queue_limit_) {
    // A client that does not read: drop it rather than let it hold
    // memory or slow anyone down.
    log::warn("tracking client dropped: it does not read",
              {{"queued", static_cast<uint64_t>(queue_.size())}});
    if (state_->ctx.stats)
      state_->ctx.stats->tracking_dropped();
    // The frame being written stays queued until its write fails.
    beast::get_lowest_layer(ws_).close();
    return finish();
  }
  queue_.push_back({std::move(frame), event_ms, latest});
  if (!writing_)
    do_write();
}

void websocket_session::do_write() {
  writing_ = true;
  auto& front = queue_.front();
  if (front.event_ms != 0 && state_->ctx.stats)
    state_->ctx.stats->observe_tracking_delay(
        static_cast<double>(
            std::max<int64_t>(0, system_now_ms() - front.event_ms)) /
        1000.0);
  ws_.async_write(net::buffer(*front.text),
                  beast::bind_front_handler(&websocket_session::on_write,
                                            shared_from_this()));
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec)
    return finish();
  queue_.pop_front();
  if (!queue_.empty())
    return do_write();
  if (close_after_queue_)
    start_close(close_code_);
}

void websocket_session::close_normal() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->close_when_sent(websocket::close_code::normal);
  });
}

void websocket_session::drain() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    if (!self->open_ && !self->finished_) {
      // Still in the handshake: just go.
      beast::get_lowest_layer(self->ws_).close();
      return;
    }
    self->close_when_sent(websocket::close_code::going_away);
  });
}

void websocket_session::close_when_sent(websocket::close_code code) {
  if (!open_ || closing_ || close_after_queue_)
    return;
  close_after_queue_ = true;
  close_code_ = code;
  if (!writing_)
    start_close(code);
}

void websocket_session::force_close() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    beast::get_lowest_layer(self->ws_).close();
  });
}

void websocket_session::start_close(websocket::close_code code) {
  if (closing_)
    return;
  closing_ = true;
  // A client that never answers the close is cut by the timeout.
  ws_.async_close(code, beast::bind_front_handler(&websocket_session::on_close,
                                                  shared_from_this()));
}

void websocket_session::on_close(beast::error_code) {
  finish();
}

void websocket_session::finish() {
  if (finished_)
    return;
  finished_ = true;
  if (open_ && state_->ctx.stats)
    state_->ctx.stats->tracking_closed();
  open_ = false;
  if (endpoint_) {
    auto endpoint = std::move(endpoint_);
    endpoint->on_close();
  }
}

} // namespace berry::http
