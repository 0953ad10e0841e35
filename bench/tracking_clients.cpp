// Many tracking sockets from one process, for bench/tracking_load.py:
//
//   tracking_clients HOST PORT SOCKETS < targets
//
// Reads "ORDER_ID TOKEN" lines from stdin, opens SOCKETS WebSockets spread
// over them (Beast, one thread, asynchronous), prints "connected N" once
// every handshake is done (or failed), then reads every socket until its
// server closes it and prints one JSON line: sockets, frames, the sockets
// that saw `delivered` and a normal close, close codes, the fan-out spread
// of each status frame over its order's sockets, and this process's own CPU
// beside the wall time (a generator near 100% of a core is the bottleneck).

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

struct totals {
  int sockets = 0, connected = 0, failed = 0, done = 0, complete = 0;
  long frames = 0;
  std::map<int, int> close_codes;
  /// (order, seq) -> first and last time a socket got that status frame.
  std::map<std::pair<std::string, long>,
           std::pair<steady::time_point, steady::time_point>>
      seen;
  std::function<void()> on_all_connected, on_all_done;
};

double cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// The number after `"key":` in a compact JSON frame, or -1.
long number_after(const std::string& text, const std::string& key) {
  auto at = text.find("\"" + key + "\":");
  return at == std::string::npos
             ? -1
             : std::atol(text.c_str() + at + key.size() + 3);
}

class client : public std::enable_shared_from_this<client> {
public:
  client(net::io_context& io, totals& t, std::string order, std::string path)
      : ws_(net::make_strand(io)), t_(t), order_(std::move(order)),
        path_(std::move(path)) {}

  void start(const tcp::endpoint& at, const std::string& host) {
    host_ = host;
    beast::get_lowest_layer(ws_).async_connect(
        at, [self = shared_from_this()](beast::error_code ec) {
          if (ec)
            return self->fail();
          self->ws_.async_handshake(self->host_, self->path_,
                                    [self](beast::error_code ec) {
                                      if (ec)
                                        return self->fail();
                                      self->connected();
                                    });
        });
  }

private:
  void connected() {
    if (++t_.connected + t_.failed == t_.sockets && t_.on_all_connected)
      t_.on_all_connected();
    read();
  }
  void fail() {
    ++t_.failed;
    if (t_.connected + t_.failed == t_.sockets && t_.on_all_connected)
      t_.on_all_connected();
    end(-1);
  }
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec,
                                                        std::size_t) {
      if (ec)
        return self->end(
            ec == websocket::error::closed ? int(self->ws_.reason().code) : -1);
      self->frame(beast::buffers_to_string(self->buffer_.data()));
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }
  void frame(const std::string& text) {
    ++t_.frames;
    if (text.find("\"type\":\"status\"") == std::string::npos)
      return;
    auto now = steady::now();
    auto [at, fresh] =
        t_.seen.try_emplace({order_, number_after(text, "seq")}, now, now);
    if (!fresh)
      at->second.second = now;
    delivered_ = text.find("\"status\":\"delivered\"") != std::string::npos;
  }
  void end(int code) {
    ++t_.close_codes[code];
    if (code == 1000 && delivered_)
      ++t_.complete;
    if (++t_.done == t_.sockets && t_.on_all_done)
      t_.on_all_done();
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  totals& t_;
  std::string order_, path_, host_;
  bool delivered_ = false;
};

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: tracking_clients HOST PORT SOCKETS < targets\n";
    return 2;
  }
  std::string host = argv[1];
  tcp::endpoint at{net::ip::make_address(host),
                   static_cast<unsigned short>(std::atoi(argv[2]))};
  totals t;
  t.sockets = std::atoi(argv[3]);
  std::vector<std::pair<std::string, std::string>> targets;
  for (std::string order, token; std::cin >> order >> token;)
    targets.emplace_back(order, token);
  if (targets.empty() || t.sockets <= 0) {
    std::cerr << "no targets\n";
    return 2;
  }
  net::io_context io;
  auto started = steady::now();
  double cpu_at_start = cpu_s();
  t.on_all_connected = [&] {
    std::cout << "connected " << t.connected << std::endl;
  };
  t.on_all_done = [&] { io.stop(); };
  for (int i = 0; i < t.sockets; ++i) {
    auto& [order, token] =
        targets[static_cast<std::size_t>(i) % targets.size()];
    std::make_shared<client>(io, t, order,
                             "/api/v1/orders/" + order +
                                 "/track?access_token=" + token)
        ->start(at, host);
  }
  io.run();
  std::vector<double> spreads;
  for (auto& [key, times] : t.seen)
    spreads.push_back(
        std::chrono::duration<double, std::milli>(times.second - times.first)
            .count());
  std::sort(spreads.begin(), spreads.end());
  nlohmann::json codes;
  for (auto& [code, n] : t.close_codes)
    codes[std::to_string(code)] = n;
  double wall = std::chrono::duration<double>(steady::now() - started).count();
  nlohmann::json out{
      {"sockets", t.sockets},
      {"connected", t.connected},
      {"frames", t.frames},
      {"complete", t.complete},
      {"close_codes", codes},
      {"spread_p50_ms", spreads.empty() ? 0 : spreads[spreads.size() / 2]},
      {"spread_max_ms", spreads.empty() ? 0 : spreads.back()},
      {"wall_s", wall},
      {"cpu_s", cpu_s() - cpu_at_start}};
  std::cout << out.dump() << std::endl;
}
