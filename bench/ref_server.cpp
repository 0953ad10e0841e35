// The ceiling of an HTTP edge on this machine, for bench/run's ratios: a
// Boost.Beast keep-alive server with no application behind it. Every GET
// is answered with the same product-shaped JSON body (about the size of
// Berry's GET /api/v1/products/{id}), so the only work is Beast's parsing
// and serialization and the kernel's sockets.
//   ref_server [PORT=0] [THREADS=1]   prints "listening on http://HOST:PORT"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

const std::string body =
    R"({"id":"p-000001","title":"Чайник электрический","description":)"
    R"("Стеклянный чайник на 1,7 л с подсветкой","category_id":"c-home",)"
    R"("price":{"amount":199000,"currency":"RUB"},"available":42})";

/// One keep-alive connection: read a request, answer it, read the next.
class connection : public std::enable_shared_from_this<connection> {
public:
  explicit connection(tcp::socket s) : stream_(std::move(s)) {}

  void do_read() {
    req_ = {};
    http::async_read(stream_, buffer_, req_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->on_read(ec);
                     });
  }

private:
  void on_read(beast::error_code ec) {
    if (ec)
      return; // closed by the client, or a bad request: drop it
    res_ = {};
    res_.version(req_.version());
    res_.keep_alive(req_.keep_alive());
    res_.result(http::status::ok);
    res_.set(http::field::content_type, "application/json");
    res_.body() = body;
    res_.prepare_payload();
    http::async_write(
        stream_, res_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (!ec && self->res_.keep_alive())
            self->do_read();
        });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

void do_accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket s) {
    if (!ec) {
      s.set_option(tcp::no_delay(true));
      std::make_shared<connection>(std::move(s))->do_read();
    }
    do_accept(acceptor);
  });
}

} // namespace

int main(int argc, char** argv) {
  auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0);
  int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  asio::io_context io{threads};
  tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), port}};
  do_accept(acceptor);
  auto at = acceptor.local_endpoint();
  std::cout << "listening on http://" << at.address().to_string() << ':'
            << at.port() << std::endl;
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i)
    pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool)
    t.join();
}
