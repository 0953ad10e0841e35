// The cryptography of http/auth.hpp: the token key and signed tokens. The
// request-side checks are in auth_checks.cpp; password hashes belong to the
// accounts actor (actors/passwords.hpp).

#include "http/auth.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include <sodium.h>

#include "actors/passwords.hpp"

namespace berry::http {

namespace {

constexpr int b64_variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr size_t max_token_size = 1024;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string to_base64url(std::string_view bin) {
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), b64_variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes(bin), bin.size(),
                    b64_variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr, &len,
                        nullptr, b64_variant) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    auto i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos)
      return out;
    s.remove_prefix(i + 1);
  }
}

bool known_role(std::string_view role) {
  return role == "customer" || role == "courier" || role == "admin";
}

std::optional<int64_t> parse_seconds(std::string_view s) {
  if (s.empty() || s.size() > 18)
    return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

} // namespace

std::string load_or_create_token_key(const std::string& data_dir) {
  sodium_ready();
  auto path = data_dir + "/token.key";
  std::string key(crypto_auth_hmacsha256_KEYBYTES, '\0');
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    auto n = std::fread(key.data(), 1, key.size(), f);
    bool longer = std::fgetc(f) != EOF;
    std::fclose(f);
    if (n != key.size() || longer)
      throw std::runtime_error(path + " is not a 32-byte token key");
    return key;
  }
  // Written under a temporary name and renamed, so that a crash never
  // leaves a short key behind; 0600 from the start, never readable by others.
  randombytes_buf(key.data(), key.size());
  auto tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot create " + tmp + ": " +
                             std::strerror(errno));
  bool ok =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
      ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write " + path + ": " +
                             std::strerror(errno));
  }
  return key;
}

struct token_service::verified {
  /// Entries kept before the map starts over (a few MB at most).
  static constexpr size_t capacity = 16384;
  std::mutex mu;
  std::unordered_map<std::string, principal> by_token;
};

token_service::token_service(std::string key, std::chrono::seconds ttl)
    : key_(std::move(key)), ttl_(ttl), verified_(std::make_shared<verified>()) {
  sodium_ready();
  if (key_.size() != crypto_auth_hmacsha256_KEYBYTES)
    throw std::invalid_argument("a token key has 32 bytes");
}

std::string token_service::issue(const principal& who, int64_t now) const {
  unsigned char id[12];
  randombytes_buf(id, sizeof id);
  char hex[sizeof id * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  auto payload = "v2|" + who.user_id + "|" + who.role + "|" +
                 std::to_string(now + ttl_.count()) + "|" +
                 std::to_string(who.token_version) + "|" + hex;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, bytes(payload), payload.size(), bytes(key_));
  return to_base64url(payload) + "." +
         to_base64url({reinterpret_cast<char*>(mac), sizeof mac});
}

std::optional<principal> token_service::verify(std::string_view token,
                                               int64_t now) const {
  token_fault why;
  return check(token, now, why);
}

std::optional<principal> token_service::check(std::string_view token,
                                              int64_t now,
                                              token_fault& why) const {
  if (token.size() > max_token_size) {
    why = token_fault::invalid;
    return std::nullopt;
  }
  auto& v = *verified_;
  {
    std::lock_guard<std::mutex> guard{v.mu};
    if (auto i = v.by_token.find(std::string{token}); i != v.by_token.end()) {
      if (i->second.expires_at <= now) {
        why = token_fault::expired;
        v.by_token.erase(i);
        return std::nullopt;
      }
      why = token_fault::none;
      return i->second;
    }
  }
  auto who = check_signed(token, now, why);
  if (who) {
    std::lock_guard<std::mutex> guard{v.mu};
    if (v.by_token.size() >= verified::capacity)
      v.by_token.clear();
    v.by_token.emplace(std::string{token}, *who);
  }
  return who;
}

std::optional<principal> token_service::check_signed(std::string_view token,
                                                     int64_t now,
                                                     token_fault& why) const {
  why = token_fault::invalid;
  if (token.size() > max_token_size)
    return std::nullopt;
  auto parts = split(token, '.');
  if (parts.size() != 2)
    return std::nullopt;
  auto payload = from_base64url(parts[0]);
  auto mac = from_base64url(parts[1]);
  if (!payload || !mac || mac->size() != crypto_auth_hmacsha256_BYTES)
    return std::nullopt;
  // Constant time: a forger learns nothing from how long a refusal takes.
  if (crypto_auth_hmacsha256_verify(bytes(*mac), bytes(*payload),
                                    payload->size(), bytes(key_)) != 0)
    return std::nullopt;
  auto fields = split(*payload, '|');
  if (fields.size() != 6 || fields[0] != "v2" || fields[1].empty() ||
      !known_role(fields[2]) || fields[5].empty())
    return std::nullopt;
  auto exp = parse_seconds(fields[3]);
  auto version = parse_seconds(fields[4]);
  if (!exp || !version)
    return std::nullopt;
  if (*exp <= now) {
    why = token_fault::expired;
    return std::nullopt;
  }
  why = token_fault::none;
  return principal{std::string{fields[1]}, std::string{fields[2]}, *version,
                   std::string{fields[5]}, *exp};
}

} // namespace berry::http
