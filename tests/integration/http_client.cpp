#include "http_client.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace berry::test {

http_connection::http_connection(uint16_t port, const std::string& source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      ::close(fd_);
      throw std::runtime_error("cannot bind to " + source);
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("connect failed");
}

http_connection::~http_connection() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool http_connection::send_raw(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool http_connection::send(const std::string& method, const std::string& target,
                           const std::string& body,
                           const std::map<std::string, std::string>& headers) {
  // Host: 127.0.0.1 unless the caller names another (as a browser would).
  std::string req = method + " " + target + " HTTP/1.1\r\n";
  if (!headers.count("Host"))
    req += "Host: 127.0.0.1\r\n";
  for (auto& [k, v] : headers)
    req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  return send_raw(req);
}

bool http_connection::fill(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  for (;;) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      throw std::runtime_error("timed out waiting for the server");
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    in_.append(buf, static_cast<size_t>(n));
    return true;
  }
}

http_response http_connection::read_response(bool head_request,
                                             int timeout_ms) {
  http_response res;
  size_t end;
  while ((end = in_.find("\r\n\r\n")) == std::string::npos)
    if (!fill(timeout_ms))
      return res;
  auto head = in_.substr(0, end);
  in_.erase(0, end + 4);
  auto line_end = head.find("\r\n");
  auto status_line = head.substr(0, line_end);
  res.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    if (next == std::string::npos)
      next = head.size();
    auto line = head.substr(pos, next - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string key = line.substr(0, colon);
      for (auto& c : key)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      res.headers[key] = value;
    }
    pos = next + 2;
  }
  if (head_request || res.status == 204 || res.status == 304)
    return res;
  if (res.header("transfer-encoding") == "chunked") {
    for (;;) {
      size_t le;
      while ((le = in_.find("\r\n")) == std::string::npos)
        if (!fill(timeout_ms))
          return res;
      auto size = std::stoul(in_.substr(0, le), nullptr, 16);
      while (in_.size() < le + 2 + size + 2)
        if (!fill(timeout_ms))
          return res;
      res.body += in_.substr(le + 2, size);
      in_.erase(0, le + 2 + size + 2);
      if (size == 0)
        return res;
    }
  }
  auto cl = res.header("content-length");
  size_t len = cl.empty() ? 0 : std::stoul(cl);
  while (in_.size() < len)
    if (!fill(timeout_ms))
      break;
  res.body = in_.substr(0, len);
  in_.erase(0, std::min(len, in_.size()));
  return res;
}

bool http_connection::wait_closed(int timeout_ms) {
  try {
    while (fill(timeout_ms))
      in_.clear();
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

http_response request(uint16_t port, const std::string& method,
                      const std::string& target, const std::string& body,
                      const std::map<std::string, std::string>& headers) {
  http_connection c{port};
  c.send(method, target, body, headers);
  return c.read_response(method == "HEAD");
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

} // namespace berry::test
