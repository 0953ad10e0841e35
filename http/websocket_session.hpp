#pragma once

// One WebSocket connection, taken over from the HTTP session that read its
// upgrade request. It performs the handshake, reads (and ignores) what the
// client sends, and writes the endpoint's frames from a bounded queue:
//
//   run -> async_accept -> on_open -> read loop (frames over the limit: 1009)
//   send (any thread) -> inbox -> (one post) -> queue -> async_write -> next
//   send_latest: the same, or in place of an unsent send_latest frame
//   close_normal -> queue drained -> async_close(1000)
//   drain -> async_close(1001); a full queue, an error, or a client that
//   answers no ping (Beast's idle timeout) -> socket closed
//
// Pings and the idle cut follow Beast's suggested server timeouts.

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/beast/websocket.hpp>

#include "http/beast.hpp"
#include "http/edge_state.hpp"
#include "http/websocket.hpp"

namespace berry::http {

class websocket_session
    : public edge_connection,
      public ws_channel,
      public std::enable_shared_from_this<websocket_session> {
public:
  websocket_session(beast::tcp_stream&& stream,
                    std::shared_ptr<edge_state> state,
                    std::shared_ptr<ws_endpoint> endpoint);
  ~websocket_session() override;

  /// Answers the upgrade request `req` and starts.
  void run(bhttp::request<bhttp::string_body> req);

  // ws_channel
  void send(ws_frame frame, int64_t event_ms) override;
  void send_latest(ws_frame frame, int64_t event_ms) override;
  void close_normal() override;

  // edge_connection
  void drain() override;
  void force_close() override;

private:
  void on_accept(beast::error_code ec);
  struct queued {
    ws_frame text;
    int64_t event_ms = 0; ///< see ws_channel::send
    bool latest = false;  ///< sent with send_latest
  };
  /// Puts a frame in the inbox (any thread); the first one in an empty
  /// inbox posts take_inbox to the strand. A busy socket thus costs one
  /// post however many frames come meanwhile, and a `latest` one there
  /// replaces its unsent predecessor at the back.
  void push(queued q);
  /// Moves the inbox into the queue, in order (on the strand).
  void take_inbox();
  /// Queues `frame` (on the socket's strand), in place of the unsent one
  /// at the back when both are `latest`.
  void enqueue(ws_frame frame, int64_t event_ms, bool latest);
  void do_read();
  void on_read(beast::error_code ec, std::size_t);
  void do_write();
  void on_write(beast::error_code ec, std::size_t);
  /// Closes with `code` once the queued frames are written.
  void close_when_sent(beast::websocket::close_code code);
  void start_close(beast::websocket::close_code code);
  void on_close(beast::error_code ec);
  /// The end, for any reason: tells the endpoint once.
  void finish();

  beast::websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<edge_state> state_;
  std::shared_ptr<ws_endpoint> endpoint_;
  uint64_t key_ = 0;
  std::mutex inbox_mtx_;
  std::vector<queued> inbox_;
  bool inbox_posted_ = false;
  std::vector<queued> taken_; ///< take_inbox's, kept for its capacity
  std::deque<queued> queue_;
  size_t queue_limit_;
  bool open_ = false;    ///< handshake done, not yet finished
  bool writing_ = false; ///< an async_write is under way
  bool closing_ = false; ///< async_close started
  bool close_after_queue_ = false;
  beast::websocket::close_code close_code_ =
      beast::websocket::close_code::normal;
  bool finished_ = false;
};

} // namespace berry::http
