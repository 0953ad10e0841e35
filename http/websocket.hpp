#pragma once

// WebSocket endpoints as route handlers see them, without Beast: an upgrade
// handler looks at the request and either refuses it with an ordinary
// response or accepts it with an endpoint; the session then performs the
// handshake and gives the endpoint a channel to send frames on.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace berry::http {

/// A text frame, shared by every socket it goes to.
using ws_frame = std::shared_ptr<const std::string>;

/// An open WebSocket as an endpoint uses it. Thread-safe; calls after the
/// socket closed are ignored.
class ws_channel {
public:
  virtual ~ws_channel() = default;

  /// Queues a text frame. A client whose queue is full (it does not read)
  /// is dropped: its socket is closed and the endpoint told. `event_ms`,
  /// when not 0, is when the event the frame tells of happened (system
  /// clock, ms): the delay until the frame is written is measured.
  virtual void send(ws_frame frame, int64_t event_ms) = 0;

  /// Queues a frame of which only the newest matters (a courier's
  /// position): while an earlier such frame waits unsent at the back of
  /// the queue, this one takes its place, so a client that reads slowly
  /// gets the latest position instead of falling further behind. Frames
  /// sent with send are never replaced or reordered.
  virtual void send_latest(ws_frame frame, int64_t event_ms) = 0;

  /// Sends what is queued, then closes normally (1000).
  virtual void close_normal() = 0;

  /// send() of a frame of this socket's own, its delay not measured.
  void send_text(std::string frame) {
    send(std::make_shared<const std::string>(std::move(frame)), 0);
  }
};

/// What serves one accepted WebSocket.
class ws_endpoint {
public:
  virtual ~ws_endpoint() = default;

  /// The handshake is done; frames may be sent on `channel` from now on.
  virtual void on_open(std::shared_ptr<ws_channel> channel) = 0;

  /// The socket is gone, for whatever reason; called once, after on_open.
  /// The endpoint must drop its channel here.
  virtual void on_close() = 0;
};

/// An upgrade handler's answer: `accept`, or else `refusal` is sent.
struct upgrade_verdict {
  response refusal;
  std::shared_ptr<ws_endpoint> accept;
};

/// Completes an upgrade request; call once, from any thread.
using upgrade_responder = std::function<void(upgrade_verdict)>;

/// Looks at a WebSocket upgrade request and answers through the responder.
using upgrade_handler = std::function<void(const request&, upgrade_responder)>;

} // namespace berry::http
