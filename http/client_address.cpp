#include "http/client_address.hpp"

#include <stdexcept>

#include <boost/asio/ip/address.hpp>

#include "http/message.hpp"

namespace berry::http {

namespace {

bool is_v4(const ip_bytes& ip) {
  for (int i = 0; i < 10; ++i)
    if (ip[i] != 0)
      return false;
  return ip[10] == 0xff && ip[11] == 0xff;
}

bool same_prefix(const ip_bytes& a, const ip_bytes& b, int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    auto mask = static_cast<uint8_t>(bits >= 8 ? 0xff : 0xff << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask))
      return false;
  }
  return true;
}

} // namespace

std::optional<ip_bytes> parse_ip(std::string_view text) {
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string{text}, ec);
  if (ec)
    return std::nullopt;
  if (a.is_v4())
    return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped,
                                            a.to_v4())
        .to_bytes();
  return a.to_v6().to_bytes();
}

std::string ip_text(const ip_bytes& ip) {
  auto v6 = boost::asio::ip::address_v6(ip);
  if (v6.is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6)
        .to_string();
  return v6.to_string();
}

cidr_list::cidr_list(const std::vector<std::string>& cidrs) {
  for (auto& text : cidrs) {
    auto slash = text.find('/');
    auto ip = parse_ip(std::string_view{text}.substr(0, slash));
    int bits = ip && is_v4(*ip) ? 32 : 128;
    int max = bits;
    if (ip && slash != std::string::npos) {
      auto len = text.substr(slash + 1);
      bits = -1;
      if (!len.empty() && len.size() <= 3 &&
          len.find_first_not_of("0123456789") == std::string::npos)
        bits = std::stoi(len);
    }
    if (!ip || bits < 0 || bits > max)
      throw std::invalid_argument("not an address or CIDR: '" + text + "'");
    nets_.push_back({*ip, bits + (max == 32 ? 96 : 0)});
  }
}

bool cidr_list::contains(const ip_bytes& ip) const {
  for (auto& n : nets_)
    if (same_prefix(n.base, ip, n.bits))
      return true;
  return false;
}

ip_bytes client_ip(const ip_bytes& peer, std::string_view forwarded_for,
                   const cidr_list& trusted) {
  auto client = peer;
  if (trusted.contains(peer)) {
    // From the right: each hop that is a trusted proxy passes it on.
    while (!forwarded_for.empty()) {
      auto comma = forwarded_for.rfind(',');
      auto hop = trim_blanks(comma == std::string_view::npos
                                 ? forwarded_for
                                 : forwarded_for.substr(comma + 1));
      forwarded_for = comma == std::string_view::npos
                          ? std::string_view{}
                          : forwarded_for.substr(0, comma);
      auto ip = parse_ip(hop);
      if (!ip)
        break; // garbage: the last trusted hop is all we know
      client = *ip;
      if (!trusted.contains(client))
        break;
    }
  }
  return client;
}

std::string limit_key(ip_bytes client) {
  if (!is_v4(client))
    for (size_t i = 8; i < client.size(); ++i)
      client[i] = 0;
  return ip_text(client);
}

std::string client_key(const ip_bytes& peer, std::string_view forwarded_for,
                       const cidr_list& trusted) {
  return limit_key(client_ip(peer, forwarded_for, trusted));
}

} // namespace berry::http
