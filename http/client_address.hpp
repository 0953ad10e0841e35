#pragma once

// Who the client is, by address: CIDR lists (trusted proxies, who may read
// /metrics) and the client address of a request, taken from
// X-Forwarded-For only when the peer is a trusted proxy.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berry::http {

/// An IP address as 16 bytes (IPv4 as IPv4-mapped IPv6).
using ip_bytes = std::array<uint8_t, 16>;

/// Parses an IPv4 or IPv6 address; nothing when it is not one.
std::optional<ip_bytes> parse_ip(std::string_view text);

/// The text of an address: dotted for IPv4 (also IPv4-mapped), else IPv6.
std::string ip_text(const ip_bytes& ip);

/// A list of networks, e.g. "10.0.0.0/8", "::1/128", "127.0.0.1" (a host).
class cidr_list {
public:
  cidr_list() = default;
  /// Throws std::invalid_argument naming the first entry that is no CIDR.
  explicit cidr_list(const std::vector<std::string>& cidrs);

  /// True when `ip` is in one of the networks.
  bool contains(const ip_bytes& ip) const;
  bool empty() const { return nets_.empty(); }

private:
  struct net {
    ip_bytes base;
    int bits; ///< of the 128
  };
  std::vector<net> nets_;
};

/// The client of a request that came from `peer`: the peer itself, unless
/// it is in `trusted`; then the rightmost address of `forwarded_for` (the
/// X-Forwarded-For values, comma-separated) that is not a trusted proxy.
ip_bytes client_ip(const ip_bytes& peer, std::string_view forwarded_for,
                   const cidr_list& trusted);

/// The key of `client`'s limits: its address, an IPv6 one by its /64 (which
/// one subscriber usually holds).
std::string limit_key(ip_bytes client);

/// limit_key of client_ip.
std::string client_key(const ip_bytes& peer, std::string_view forwarded_for,
                       const cidr_list& trusted);

} // namespace berry::http
