#pragma once

// The bodies Berry sends to etcd 3.4's JSON gateway and the parsing of its
// answers: pure functions, tested without an etcd (tests/cluster).

#include <optional>
#include <string>
#include <string_view>

#include "cluster/etcd_types.hpp"

namespace berry::cluster {

/// Standard base64 with padding, as the gateway wants keys and values.
std::string base64_encode(std::string_view bytes);

/// The bytes of a base64 text, or nothing when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

/// The end of the range of every key that starts with `prefix`: the prefix
/// with its last byte incremented ("berry/" -> "berry0").
std::string prefix_end(std::string_view prefix);

namespace etcd_json {

/// POST /v3/kv/range: `key`, or every key under it when `prefix`.
std::string range(std::string_view key, bool prefix);

/// POST /v3/kv/put, attached to `lease` unless it is 0.
std::string put(std::string_view key, std::string_view value, int64_t lease);

/// POST /v3/kv/txn: puts `key` under `lease` only if it does not exist
/// (create_revision == 0); otherwise reads who holds it.
std::string claim(std::string_view key, std::string_view value, int64_t lease);

/// POST /v3/kv/txn: deletes `key` only while its value is `value`.
std::string release(std::string_view key, std::string_view value);

/// POST /v3/kv/deleterange.
std::string remove(std::string_view key, bool prefix);

/// POST /v3/lease/grant, /v3/lease/keepalive and /v3/lease/revoke.
std::string grant(int64_t ttl_s);
std::string lease_id(int64_t id);

/// POST /v3/watch from `start_revision` (0: from now), with prev_kv.
std::string watch(std::string_view key, bool prefix, int64_t start_revision);

// Parsers of the gateway's answers. Each throws std::invalid_argument when
// the text is not the JSON it should be.

range_result parse_range(const std::string& body);
/// The revision in the header (put, revoke).
int64_t parse_revision(const std::string& body);
claim_result parse_claim(const std::string& body);
/// Whether a txn's compares held (release).
bool parse_succeeded(const std::string& body);
/// How many keys a deleterange removed.
int64_t parse_deleted(const std::string& body);
lease_grant parse_grant(const std::string& body);
/// The TTL a keepalive renewed the lease to; 0 when the lease is gone.
int64_t parse_keepalive(const std::string& body);
/// One line of a watch stream; an `{"error":...}` line throws.
watch_update parse_watch_line(const std::string& line);
/// The error of a non-200 answer: `{"error","message","code"}`.
etcd_error parse_error(int http_status, const std::string& body);

} // namespace etcd_json

} // namespace berry::cluster
