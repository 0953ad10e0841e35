#pragma once

// One HTTP/1.1 connection: reads requests one at a time (keep-alive), hands
// each to its route on the connection's strand, and writes the answer when
// the handler's responder fires, from whatever thread that happens.
//
//   do_read -> on_header [-> 100 Continue] -> read_body -> on_read -> handle
//      ^                                                              |
//      +---------------- on_write <- send <- (responder, any thread) -+
//
// On a route that watches its client, handle also reads on (watch_client)
// while the handler runs: EOF or a reset then sets request::client_gone,
// and the next read waits until that watch has ended.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/beast.hpp"
#include "http/client_address.hpp"
#include "http/edge_state.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace berry::http {

/// An accepted connection and its requests.
class http_session : public edge_connection,
                     public std::enable_shared_from_this<http_session> {
public:
  http_session(tcp::socket&& socket, std::shared_ptr<edge_state> state);
  ~http_session();

  /// Starts reading requests.
  void run();

  /// The server is draining: an idle connection closes now, a busy one
  /// after its response (sent with Connection: close). Thread-safe.
  void drain() override;

  /// Closes the connection now, whatever it is doing. Thread-safe.
  void force_close() override;

private:
  struct reply;
  /// The session whose route handler this thread is running, if any.
  static thread_local http_session* handling;

  void do_read();
  void on_header(beast::error_code ec, std::size_t);
  void read_body();
  void on_read(beast::error_code ec, std::size_t);
  void on_read_error(beast::error_code ec);
  void handle();
  void run_handler(const route& r, const request& req);
  void watch_client();
  void on_watch(beast::error_code ec, std::size_t bytes);
  void run_upgrade(const route& r, const request& req,
                   bhttp::request<bhttp::string_body> upgrade);
  void accept_websocket(bhttp::request<bhttp::string_body> req,
                        std::shared_ptr<ws_endpoint> endpoint);
  void fail_request(int status, const char* slug, std::string detail);
  /// Counts and logs the answered request.
  void record_request(int status);
  void send(response res);
  void on_write(bool close, beast::error_code ec, std::size_t);
  /// After an answer: the next request, or the close.
  void next(bool close);
  void do_close(bool linger);
  void on_linger(beast::error_code ec, std::size_t);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<edge_state> state_;
  ip_bytes peer_{}; ///< the address the connection came from
  uint64_t key_ = 0;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  /// The answer being written: its status line and fields (the string
  /// reused from answer to answer), and its body.
  std::string out_head_;
  std::string out_body_;
  bhttp::response<bhttp::empty_body> continue_;
  std::string scratch_; ///< where a lingering close drops what it reads

  // The request being answered.
  bool idle_ = false; ///< waiting for a request that has not started
  bool draining_ = false;
  bool keep_alive_ = false;
  bool head_ = false;
  bool linger_ = false;   ///< unread input may follow: drain it before close
  bool private_ = false;  ///< the answer is the caller's own: never stored
  bool watching_ = false; ///< watch_client's read is under way
  /// An answer given from inside the handler, sent when it returns.
  std::optional<response> answered_;
  /// The answer was written while watching_: next(close) once it ends.
  std::optional<bool> after_watch_;
  /// Set when the client leaves while its request is handled.
  std::shared_ptr<std::atomic<bool>> gone_;
  unsigned version_ = 11;
  std::string method_;
  std::string path_;
  /// The route's pattern (the router's string) or "unmatched".
  std::string_view route_;
  std::string request_id_;
  std::string client_;      ///< limit_key of client_bytes_
  std::string client_ip_;   ///< ip_text of client_bytes_
  ip_bytes client_bytes_{}; ///< the client of the last request
  std::chrono::steady_clock::time_point started_;
};

} // namespace berry::http
