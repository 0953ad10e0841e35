#include "cluster/etcd_json.hpp"

#include <cstring>
#include <nlohmann/json.hpp>
#include <sodium.h>
#include <stdexcept>

namespace berry::cluster {

using json = nlohmann::json;

namespace {

constexpr int b64_variant = sodium_base64_VARIANT_ORIGINAL;

/// An int64 field: the gateway sends them as strings and leaves out zeros.
int64_t i64(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null())
    return 0;
  if (it->is_string())
    return std::stoll(it->get<std::string>());
  return it->get<int64_t>();
}

std::string b64_field(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end())
    return {};
  auto bytes = base64_decode(it->get<std::string>());
  if (!bytes)
    throw std::invalid_argument(std::string("not base64: ") + name);
  return *bytes;
}

etcd_kv to_kv(const json& j) {
  return {b64_field(j, "key"),       b64_field(j, "value"),
          i64(j, "create_revision"), i64(j, "mod_revision"),
          i64(j, "version"),         i64(j, "lease")};
}

json parse(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw std::invalid_argument("not a JSON object: " + body.substr(0, 200));
  return j;
}

int64_t header_revision(const json& j) {
  auto h = j.find("header");
  return h == j.end() ? 0 : i64(*h, "revision");
}

json key_range(std::string_view key, bool prefix) {
  json j{{"key", base64_encode(key)}};
  if (prefix)
    j["range_end"] = base64_encode(prefix_end(key));
  return j;
}

} // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), b64_variant), '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), b64_variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr, &len,
                        nullptr, b64_variant) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<unsigned char>(end.back()) < 0xff) {
      end.back() = static_cast<char>(end.back() + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0'); // every key: etcd's "\0" range end
}

namespace etcd_json {

std::string range(std::string_view key, bool prefix) {
  return key_range(key, prefix).dump();
}

std::string put(std::string_view key, std::string_view value, int64_t lease) {
  json j{{"key", base64_encode(key)}, {"value", base64_encode(value)}};
  if (lease != 0)
    j["lease"] = std::to_string(lease);
  return j.dump();
}

std::string claim(std::string_view key, std::string_view value, int64_t lease) {
  json compare{{"target", "CREATE"},
               {"key", base64_encode(key)},
               {"result", "EQUAL"},
               {"create_revision", "0"}};
  return json{
      {"compare", json::array({compare})},
      {"success",
       json::array({{{"request_put", json::parse(put(key, value, lease))}}})},
      {"failure", json::array({{{"request_range", key_range(key, false)}}})}}
      .dump();
}

std::string release(std::string_view key, std::string_view value) {
  json compare{{"target", "VALUE"},
               {"key", base64_encode(key)},
               {"result", "EQUAL"},
               {"value", base64_encode(value)}};
  return json{
      {"compare", json::array({compare})},
      {"success",
       json::array({{{"request_delete_range", key_range(key, false)}}})}}
      .dump();
}

std::string remove(std::string_view key, bool prefix) {
  return key_range(key, prefix).dump();
}

std::string grant(int64_t ttl_s) {
  return json{{"TTL", std::to_string(ttl_s)}}.dump();
}

std::string lease_id(int64_t id) {
  return json{{"ID", std::to_string(id)}}.dump();
}

std::string watch(std::string_view key, bool prefix, int64_t start_revision) {
  json req = key_range(key, prefix);
  req["prev_kv"] = true;
  if (start_revision > 0)
    req["start_revision"] = std::to_string(start_revision);
  return json{{"create_request", req}}.dump();
}

range_result parse_range(const std::string& body) {
  auto j = parse(body);
  range_result r{header_revision(j), {}};
  if (auto kvs = j.find("kvs"); kvs != j.end())
    for (auto& kv : *kvs)
      r.kvs.push_back(to_kv(kv));
  return r;
}

int64_t parse_revision(const std::string& body) {
  return header_revision(parse(body));
}

claim_result parse_claim(const std::string& body) {
  auto j = parse(body);
  claim_result r{j.value("succeeded", false), header_revision(j), {}};
  if (r.claimed)
    return r;
  for (auto& resp : j.value("responses", json::array()))
    if (auto range = resp.find("response_range"); range != resp.end())
      if (auto kvs = range->find("kvs"); kvs != range->end() && !kvs->empty())
        r.holder = to_kv(kvs->front());
  return r;
}

bool parse_succeeded(const std::string& body) {
  return parse(body).value("succeeded", false);
}

int64_t parse_deleted(const std::string& body) {
  return i64(parse(body), "deleted");
}

lease_grant parse_grant(const std::string& body) {
  auto j = parse(body);
  return {i64(j, "ID"), i64(j, "TTL")};
}

int64_t parse_keepalive(const std::string& body) {
  auto j = parse(body);
  auto result = j.find("result");
  return result == j.end() ? 0 : i64(*result, "TTL");
}

watch_update parse_watch_line(const std::string& line) {
  auto j = parse(line);
  if (auto err = j.find("error"); err != j.end())
    throw std::invalid_argument("watch error: " + err->dump());
  const json& r = j.at("result");
  watch_update u;
  u.revision = header_revision(r);
  if (r.value("canceled", false)) {
    u.what = watch_update::kind::canceled;
    u.compact_revision = i64(r, "compact_revision");
  } else if (r.value("created", false)) {
    u.what = watch_update::kind::created;
  } else {
    u.what = watch_update::kind::events;
  }
  for (auto& e : r.value("events", json::array())) {
    watch_event ev{e.value("type", "PUT") == "DELETE", to_kv(e.at("kv")), {}};
    if (auto prev = e.find("prev_kv"); prev != e.end())
      ev.prev_kv = to_kv(*prev);
    u.events.push_back(std::move(ev));
  }
  return u;
}

etcd_error parse_error(int http_status, const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return {http_status, 0, body.substr(0, 200)};
  return {http_status, static_cast<int>(i64(j, "code")),
          j.value("message", j.value("error", std::string{}))};
}

} // namespace etcd_json

} // namespace berry::cluster
