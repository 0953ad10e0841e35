#include "cluster/etcd_client.hpp"

#include <boost/asio/post.hpp>
#include <stdexcept>

#include "cluster/etcd_impl.hpp"
#include "cluster/etcd_json.hpp"

namespace berry::cluster {

namespace {

using raw_callback = std::function<void(int status, std::string body,
                                        std::string transport_error)>;

/// One unary POST on its own connection: send, read the answer, close.
class unary_call : public gateway_exchange,
                   public std::enable_shared_from_this<unary_call> {
public:
  unary_call(etcd_client::impl& owner, std::string target, std::string body,
             raw_callback done)
      : gateway_exchange(owner, std::move(target), std::move(body)),
        done_(std::move(done)) {}

  void start() {
    send([self = shared_from_this()](beast::error_code ec) {
      if (ec)
        return self->finish(ec);
      bhttp::async_read(
          self->stream_, self->buffer_, self->res_,
          [self](beast::error_code ec, size_t) { self->finish(ec); });
    });
  }

private:
  void finish(beast::error_code ec) {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (ec)
      return done_(0, {}, ec.message());
    done_(res_.result_int(), std::move(res_.body()), {});
  }

  raw_callback done_;
  bhttp::response<bhttp::string_body> res_;
};

/// Posts `body` to `target` and hands `cb` the parsed answer: `parse` on
/// a 200, the gateway's error otherwise.
template <class T, class Parse>
void call(etcd_client::impl& owner, std::string target, std::string body,
          Parse parse, etcd_client::callback<T> cb) {
  auto done = [parse, cb = std::move(cb)](int status, std::string text,
                                          std::string transport_error) {
    etcd_result<T> r;
    if (!transport_error.empty()) {
      r.error = {0, 0, std::move(transport_error)};
    } else if (status != 200) {
      r.error = etcd_json::parse_error(status, text);
    } else {
      try {
        r.value = parse(text);
      } catch (const std::exception& e) {
        r.error = {status, 0, e.what()};
      }
    }
    cb(std::move(r));
  };
  net::post(owner.ioc, [&owner, target = std::move(target),
                        body = std::move(body), done = std::move(done)] {
    std::make_shared<unary_call>(owner, target, body, done)->start();
  });
}

} // namespace

etcd_endpoint parse_endpoint(const std::string& url) {
  std::string rest = url;
  if (rest.rfind("https://", 0) == 0)
    throw std::invalid_argument("etcd over TLS is not supported: " + url);
  if (rest.rfind("http://", 0) == 0)
    rest = rest.substr(7);
  if (auto slash = rest.find('/'); slash != std::string::npos)
    rest.resize(slash);
  auto colon = rest.rfind(':');
  etcd_endpoint ep{rest.substr(0, colon), colon == std::string::npos
                                              ? "2379"
                                              : rest.substr(colon + 1)};
  if (ep.host.empty() || ep.port.empty())
    throw std::invalid_argument("not an etcd endpoint: " + url);
  return ep;
}

bhttp::request<bhttp::string_body> gateway_request(const etcd_endpoint& ep,
                                                   const std::string& target,
                                                   std::string body) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
  req.set(bhttp::field::host, ep.host + ":" + ep.port);
  req.set(bhttp::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

gateway_exchange::gateway_exchange(etcd_client::impl& owner, std::string target,
                                   std::string body)
    : owner_(owner), resolver_(owner.ioc), stream_(owner.ioc),
      target_(std::move(target)), body_(std::move(body)) {}

void gateway_exchange::send(std::function<void(beast::error_code)> sent) {
  send_to(owner_.endpoints[owner_.current], std::move(sent));
}

void gateway_exchange::send_to(const etcd_endpoint& ep,
                               std::function<void(beast::error_code)> sent) {
  req_ = gateway_request(ep, target_, body_);
  resolver_.async_resolve(
      ep.host, ep.port,
      [this, sent](beast::error_code ec,
                   tcp::resolver::results_type r) mutable {
        if (ec)
          return retry(ec, std::move(sent));
        stream_.expires_after(owner_.timeout);
        stream_.async_connect(
            r, [this, sent](beast::error_code ec, const auto&) mutable {
              if (ec)
                return retry(ec, std::move(sent));
              bhttp::async_write(
                  stream_, req_,
                  [sent](beast::error_code ec, size_t) { sent(ec); });
            });
      });
}

void gateway_exchange::retry(beast::error_code ec,
                             std::function<void(beast::error_code)> sent) {
  if (++tries_ >= owner_.endpoints.size())
    return sent(ec);
  stream_.close();
  send_to(owner_.next_endpoint(), std::move(sent));
}

const etcd_endpoint& etcd_client::impl::next_endpoint() {
  current = (current + 1) % endpoints.size();
  return endpoints[current];
}

etcd_client::etcd_client(std::vector<std::string> endpoints,
                         std::chrono::milliseconds timeout)
    : impl_(std::make_unique<impl>()) {
  if (endpoints.empty())
    throw std::invalid_argument("etcd_client needs an endpoint");
  for (auto& url : endpoints)
    impl_->endpoints.push_back(parse_endpoint(url));
  impl_->timeout = timeout;
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

etcd_client::~etcd_client() {
  impl_->work.reset();
  impl_->ioc.stop();
  impl_->thread.join();
}

void etcd_client::range(std::string key, bool prefix,
                        callback<range_result> cb) {
  call<range_result>(*impl_, "/v3/kv/range", etcd_json::range(key, prefix),
                     etcd_json::parse_range, std::move(cb));
}

void etcd_client::put(std::string key, std::string value, int64_t lease,
                      callback<int64_t> cb) {
  call<int64_t>(*impl_, "/v3/kv/put", etcd_json::put(key, value, lease),
                etcd_json::parse_revision, std::move(cb));
}

void etcd_client::claim(std::string key, std::string value, int64_t lease,
                        callback<claim_result> cb) {
  call<claim_result>(*impl_, "/v3/kv/txn", etcd_json::claim(key, value, lease),
                     etcd_json::parse_claim, std::move(cb));
}

void etcd_client::release(std::string key, std::string value,
                          callback<bool> cb) {
  call<bool>(*impl_, "/v3/kv/txn", etcd_json::release(key, value),
             etcd_json::parse_succeeded, std::move(cb));
}

void etcd_client::remove(std::string key, bool prefix, callback<int64_t> cb) {
  call<int64_t>(*impl_, "/v3/kv/deleterange", etcd_json::remove(key, prefix),
                etcd_json::parse_deleted, std::move(cb));
}

void etcd_client::grant(int64_t ttl_s, callback<lease_grant> cb) {
  call<lease_grant>(*impl_, "/v3/lease/grant", etcd_json::grant(ttl_s),
                    etcd_json::parse_grant, std::move(cb));
}

void etcd_client::keepalive(int64_t lease, callback<int64_t> cb) {
  call<int64_t>(*impl_, "/v3/lease/keepalive", etcd_json::lease_id(lease),
                etcd_json::parse_keepalive, std::move(cb));
}

void etcd_client::revoke(int64_t lease, callback<int64_t> cb) {
  call<int64_t>(*impl_, "/v3/lease/revoke", etcd_json::lease_id(lease),
                etcd_json::parse_revision, std::move(cb));
}

std::shared_ptr<etcd_watch>
etcd_client::watch(std::string key, bool prefix, int64_t start_revision,
                   std::function<void(etcd_result<watch_update>)> cb) {
  return start_watch(*impl_, etcd_json::watch(key, prefix, start_revision),
                     std::move(cb));
}

} // namespace berry::cluster
