#pragma once

// A deliberately plain HTTP/1.1 client over POSIX sockets, so tests can send
// exactly the bytes they mean (oversized headers, silence, bad JSON).

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace berry::test {

/// What the server answered.
struct http_response {
  int status = 0;
  std::map<std::string, std::string> headers; ///< keys in lower case
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto i = headers.find(lower_name);
    return i == headers.end() ? std::string{} : i->second;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

/// One TCP connection to 127.0.0.1:port.
class http_connection {
public:
  /// Connects from `source` (another loopback address such as 127.0.0.2
  /// makes another client as the server sees it), or the OS's choice.
  explicit http_connection(uint16_t port, const std::string& source = {});
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  /// Writes raw bytes; false if the peer has closed.
  bool send_raw(const std::string& bytes);
  /// Sends one request (Host, Content-Length added).
  bool send(const std::string& method, const std::string& target,
            const std::string& body = {},
            const std::map<std::string, std::string>& headers = {});
  /// Reads one response; status 0 if the connection closed first.
  http_response read_response(bool head_request = false,
                              int timeout_ms = 30000);
  /// Waits until the server closes the connection; false on timeout.
  bool wait_closed(int timeout_ms);

private:
  bool fill(int timeout_ms);
  int fd_ = -1;
  std::string in_;
};

/// One request on a fresh connection.
http_response request(uint16_t port, const std::string& method,
                      const std::string& target, const std::string& body = {},
                      const std::map<std::string, std::string>& headers = {});

/// GET on a fresh connection.
inline http_response
get(uint16_t port, const std::string& target,
    const std::map<std::string, std::string>& headers = {}) {
  return request(port, "GET", target, {}, headers);
}

/// Percent-encodes a query value (UTF-8 bytes).
std::string url_encode(const std::string& s);

} // namespace berry::test
