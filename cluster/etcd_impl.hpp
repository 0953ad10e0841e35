#pragma once

// Inside etcd_client: its Asio thread and endpoints, shared by the unary
// calls (etcd_client.cpp) and the watch streams (etcd_watch.cpp). Only
// those two files include it (Beast costs seconds per translation unit).

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "cluster/etcd_client.hpp"

namespace berry::cluster {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

/// One etcd endpoint, parsed from its URL.
struct etcd_endpoint {
  std::string host;
  std::string port;
};

/// "http://host:port" (scheme optional, port 2379 by default) as an
/// endpoint; throws std::invalid_argument for https or an empty host.
etcd_endpoint parse_endpoint(const std::string& url);

/// A POST of `body` to `target` on endpoint `ep`, as etcd's gateway wants.
bhttp::request<bhttp::string_body> gateway_request(const etcd_endpoint& ep,
                                                   const std::string& target,
                                                   std::string body);

struct etcd_client::impl {
  net::io_context ioc{1};
  net::executor_work_guard<net::io_context::executor_type> work{
      ioc.get_executor()};
  std::vector<etcd_endpoint> endpoints;
  /// The endpoint calls go to first; moved on when one cannot be reached
  /// (touched only on the client's thread).
  size_t current = 0;
  std::chrono::milliseconds timeout;
  std::thread thread;

  /// The endpoint after `ep` (round robin), made the current one.
  const etcd_endpoint& next_endpoint();
};

/// What a unary call and a watch share: the connection to the gateway and
/// the sending of one POST on it. The request goes to the current endpoint;
/// one that cannot be reached moves the client on to the next (each is
/// tried once). The deadline covers connecting and everything after it,
/// until a subclass changes it.
class gateway_exchange {
protected:
  gateway_exchange(etcd_client::impl& owner, std::string target,
                   std::string body);

  /// Connects, writes the request, then calls `sent` (with the error that
  /// stopped it, if any). `sent` keeps the exchange alive.
  void send(std::function<void(beast::error_code)> sent);

  etcd_client::impl& owner_;
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;

private:
  void send_to(const etcd_endpoint& ep,
               std::function<void(beast::error_code)> sent);
  void retry(beast::error_code ec, std::function<void(beast::error_code)> sent);

  std::string target_;
  std::string body_;
  bhttp::request<bhttp::string_body> req_;
  size_t tries_ = 0;
};

/// Starts a watch (etcd_watch.cpp).
std::shared_ptr<etcd_watch>
start_watch(etcd_client::impl& owner, std::string body,
            std::function<void(etcd_result<watch_update>)> cb);

} // namespace berry::cluster
