#pragma once

// A client of etcd 3.4's JSON gateway (/v3/kv, /v3/lease, /v3/watch) over
// Beast: no gRPC stack. It never blocks its caller. Every call is sent from
// the client's own Asio thread and its answer comes back through a callback
// run on that thread: an actor hands the callback a message to itself
// (anon_send), so no actor ever waits on a socket.
//
// Each unary call has its own loopback-cheap HTTP/1.1 connection and a
// deadline; a connection that fails moves the client on to the next
// endpoint. A watch holds one streaming connection for as long as it lives.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster/etcd_types.hpp"

namespace berry::cluster {

class etcd_watch;

/// The client; the calls may come from any thread.
class etcd_client {
public:
  template <class T>
  using callback = std::function<void(etcd_result<T>)>;

  /// `endpoints`: URLs such as "http://127.0.0.1:2379" (the scheme is
  /// optional), tried in turn when one cannot be reached. `timeout`: the
  /// deadline of one unary call, connection included.
  explicit etcd_client(
      std::vector<std::string> endpoints,
      std::chrono::milliseconds timeout = std::chrono::milliseconds{2000});

  /// Stops the thread; calls in flight are dropped without their
  /// callbacks. Not to be called from inside a callback.
  ~etcd_client();
  etcd_client(const etcd_client&) = delete;
  etcd_client& operator=(const etcd_client&) = delete;

  /// Reads `key`, or every key under it when `prefix`.
  void range(std::string key, bool prefix, callback<range_result> cb);

  /// Writes `key` (under `lease` unless 0); answers the new revision.
  void put(std::string key, std::string value, int64_t lease,
           callback<int64_t> cb);

  /// Creates `key` under `lease` only if nobody holds it (one etcd txn):
  /// of two claimants exactly one wins.
  void claim(std::string key, std::string value, int64_t lease,
             callback<claim_result> cb);

  /// Deletes `key` only while its value is still `value`; answers whether
  /// it did (giving up a claim without touching a successor's).
  void release(std::string key, std::string value, callback<bool> cb);

  /// Deletes `key` (or every key under it); answers how many went.
  void remove(std::string key, bool prefix, callback<int64_t> cb);

  /// Grants a lease of `ttl_s` seconds.
  void grant(int64_t ttl_s, callback<lease_grant> cb);

  /// Renews a lease; answers its new TTL, 0 when it is gone (expired or
  /// revoked: its keys are deleted).
  void keepalive(int64_t lease, callback<int64_t> cb);

  /// Revokes a lease, deleting its keys at once.
  void revoke(int64_t lease, callback<int64_t> cb);

  /// Watches `key` (or every key under it) from `start_revision` (0: from
  /// now). `cb` gets `created`, then changes, until the watch is cancelled
  /// (no further calls) or ends by itself (a `canceled` update or an error
  /// is its last call).
  std::shared_ptr<etcd_watch>
  watch(std::string key, bool prefix, int64_t start_revision,
        std::function<void(etcd_result<watch_update>)> cb);

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

/// A running watch; cancelling (or destroying) it closes its connection.
class etcd_watch {
public:
  virtual ~etcd_watch() = default;
  /// Stops the watch; its callback is not called again once this returns
  /// on the client's thread, or soon after when called from another.
  virtual void cancel() = 0;
};

} // namespace berry::cluster
