#include "http/message.hpp"

#include <atomic>
#include <memory>
#include <random>

namespace berry::http {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view find_header(const std::vector<header>& hs,
                             std::string_view name) {
  for (auto& [k, v] : hs)
    if (iequals(k, name))
      return v;
  return {};
}

struct reply_once {
  std::function<void(response)> deliver;
  response if_dropped;
  std::atomic<bool> done{false};

  ~reply_once() {
    if (!done.load())
      deliver(std::move(if_dropped));
  }
};

} // namespace

responder make_responder(std::function<void(response)> deliver,
                         response if_dropped) {
  auto once = std::make_shared<reply_once>();
  once->deliver = std::move(deliver);
  once->if_dropped = std::move(if_dropped);
  return [once](response res) {
    if (!once->done.exchange(true))
      once->deliver(std::move(res));
  };
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string_view request::header_value(std::string_view name) const {
  return find_header(headers, name);
}

std::string_view request::param(std::string_view name) const {
  for (auto& [k, v] : params)
    if (k == name)
      return v;
  return {};
}

void response::set(std::string_view name, std::string value) {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::string{name}, std::move(value));
}

std::string_view response::header_value(std::string_view name) const {
  return find_header(headers, name);
}

std::string pick_request_id(std::string_view from_client) {
  bool ok = !from_client.empty() && from_client.size() <= 64;
  for (char c : from_client)
    ok = ok && c > 0x20 && c < 0x7f;
  if (ok)
    return std::string{from_client};
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  auto x = gen();
  std::string out(16, '0');
  for (auto& c : out) {
    c = digits[x & 0xf];
    x >>= 4;
  }
  return out;
}

response json_response(std::string body, int status) {
  response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

} // namespace berry::http
