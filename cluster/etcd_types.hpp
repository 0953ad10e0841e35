#pragma once

// The values etcd's JSON gateway answers with, as Berry uses them. The
// gateway sends int64 as strings and leaves out every default-valued field;
// these structs have the defaults filled in (etcd_json.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace berry::cluster {

/// One key and its value as etcd stores them (decoded from base64).
struct etcd_kv {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t version = 0;
  int64_t lease = 0; ///< 0: the key is attached to no lease
};

/// Why a call failed: an HTTP status and etcd's gRPC code and message, or
/// status 0 for a connection that failed or timed out.
struct etcd_error {
  int http_status = 0;
  int code = 0;
  std::string message;
};

/// A call's answer: its value, or the error that stopped it.
template <class T>
struct etcd_result {
  std::optional<T> value;
  etcd_error error;

  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
};

/// The keys of a range read, and the store's revision it was read at.
struct range_result {
  int64_t revision = 0;
  std::vector<etcd_kv> kvs;
};

/// The outcome of a create-if-absent claim.
struct claim_result {
  /// True when this call created the key.
  bool claimed = false;
  /// The revision of the claim when claimed (a fencing epoch: etcd's
  /// revisions only grow), else the store's revision.
  int64_t revision = 0;
  /// Who holds the key when the claim lost.
  std::optional<etcd_kv> holder;
};

/// A granted lease: its id and the TTL etcd gave it (it may raise a TTL
/// below its minimum).
struct lease_grant {
  int64_t id = 0;
  int64_t ttl = 0;
};

/// One change seen by a watch.
struct watch_event {
  bool deleted = false; ///< false: put
  etcd_kv kv;
  std::optional<etcd_kv> prev_kv;
};

/// One message of a watch stream.
struct watch_update {
  /// `created`: the watch is in place, `events`: changes,
  /// `canceled`: etcd ended it (compaction: re-read and watch again).
  enum class kind { created, events, canceled } what = kind::created;
  int64_t revision = 0;
  std::vector<watch_event> events;
  int64_t compact_revision = 0;
};

} // namespace berry::cluster
