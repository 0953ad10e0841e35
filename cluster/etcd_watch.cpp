// A watch is one streaming POST /v3/watch: etcd answers 200 with a chunked
// body that never ends, one JSON object per line ({"result":{...}}). The
// parser hands each chunk's bytes to on_chunk(); complete lines become
// watch_updates.

#include <atomic>
#include <boost/asio/post.hpp>
#include <limits>

#include "cluster/etcd_impl.hpp"
#include "cluster/etcd_json.hpp"

namespace berry::cluster {

namespace {

using watch_callback = std::function<void(etcd_result<watch_update>)>;

class watch_session : public gateway_exchange,
                      public std::enable_shared_from_this<watch_session> {
public:
  watch_session(etcd_client::impl& owner, std::string body, watch_callback cb)
      : gateway_exchange(owner, "/v3/watch", std::move(body)),
        cb_(std::move(cb)) {
    parser_.body_limit(std::numeric_limits<std::uint64_t>::max());
    chunk_ = [this](std::uint64_t, std::string_view data, beast::error_code&) {
      return on_chunk(data);
    };
    parser_.on_chunk_body(chunk_);
  }

  void start() {
    send([self = shared_from_this()](beast::error_code ec) {
      if (ec)
        return self->fail(ec.message());
      self->do_read_header();
    });
  }

  /// From any thread: no callback starts after this returns.
  void cancel() {
    cancelled_ = true;
    net::post(owner_.ioc, [self = shared_from_this()] {
      beast::error_code ignored;
      self->stream_.socket().close(ignored);
    });
  }

private:
  void do_read_header() {
    bhttp::async_read_header(
        stream_, buffer_, parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec)
            return self->fail(ec.message());
          // Open-ended from here: a quiet watch is a healthy one.
          self->stream_.expires_never();
          self->do_read();
        });
  }

  void do_read() {
    bhttp::async_read_some(
        stream_, buffer_, parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->on_read(ec);
        });
  }

  void on_read(beast::error_code ec) {
    if (!ec && parser_.get().result() != bhttp::status::ok && parser_.is_done())
      return fail_with(etcd_json::parse_error(parser_.get().result_int(),
                                              parser_.get().body()));
    if (ec || parser_.is_done())
      return fail(ec ? ec.message() : "the watch stream ended");
    if (ended_)
      return;
    do_read();
  }

  // A chunk's bytes: every complete line is one update.
  size_t on_chunk(std::string_view data) {
    pending_.append(data);
    size_t nl;
    while (!ended_ && (nl = pending_.find('\n')) != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      if (line.find_first_not_of(" \r\t") == std::string::npos)
        continue;
      deliver(line);
    }
    return data.size();
  }

  void deliver(const std::string& line) {
    etcd_result<watch_update> r;
    try {
      r.value = etcd_json::parse_watch_line(line);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
    bool last = r->what == watch_update::kind::canceled;
    if (!cancelled_)
      cb_(std::move(r));
    if (last)
      end();
  }

  void fail(std::string message) { fail_with({0, 0, std::move(message)}); }

  void fail_with(etcd_error e) {
    if (ended_)
      return;
    etcd_result<watch_update> r;
    r.error = std::move(e);
    if (!cancelled_)
      cb_(std::move(r));
    end();
  }

  void end() {
    ended_ = true;
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

  watch_callback cb_;
  bhttp::response_parser<bhttp::string_body> parser_;
  std::function<size_t(std::uint64_t, std::string_view, beast::error_code&)>
      chunk_;
  std::string pending_;
  std::atomic<bool> cancelled_{false};
  bool ended_ = false;
};

/// The handle: cancels when asked or dropped.
class watch_handle : public etcd_watch {
public:
  explicit watch_handle(std::shared_ptr<watch_session> s)
      : session_(std::move(s)) {}
  ~watch_handle() override { cancel(); }
  void cancel() override {
    if (auto s = session_.lock())
      s->cancel();
  }

private:
  std::weak_ptr<watch_session> session_;
};

} // namespace

std::shared_ptr<etcd_watch> start_watch(etcd_client::impl& owner,
                                        std::string body, watch_callback cb) {
  auto session =
      std::make_shared<watch_session>(owner, std::move(body), std::move(cb));
  net::post(owner.ioc, [session] { session->start(); });
  return std::make_shared<watch_handle>(session);
}

} // namespace berry::cluster
