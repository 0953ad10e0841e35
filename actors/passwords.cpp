#include "actors/passwords.hpp"

#include <stdexcept>

#include <sodium.h>

namespace berry {

namespace {

// OWASP's argon2id minimum (m = 19 MiB, t = 2). libsodium's interactive
// preset (64 MiB) would make a burst of registrations crawl on small hosts.
constexpr unsigned long long pwhash_ops = 2;
constexpr size_t pwhash_mem = size_t{19} * 1024 * 1024;

} // namespace

// sodium_init picks the fastest implementations and seeds randombytes; it
// must run before any other libsodium call, and is safe to run once per
// process from any thread.
void sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  if (!ok)
    throw std::runtime_error("libsodium failed to initialise");
}

std::string hash_password(std::string_view password) {
  sodium_ready();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), pwhash_ops,
                            pwhash_mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool verify_password(std::string_view password, const std::string& hash) {
  sodium_ready();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

std::optional<std::string> password_problem(std::string_view password,
                                            size_t min_chars) {
  size_t chars = 0;
  bool blank = true;
  for (unsigned char c : password) {
    chars += (c & 0xC0) != 0x80;
    blank = blank && (c == ' ' || (c >= '\t' && c <= '\r'));
  }
  if (chars < min_chars)
    return "password must have at least " + std::to_string(min_chars) +
           " characters";
  if (chars > max_password_chars || password.size() > max_password_bytes)
    return "password must have at most 1024 characters";
  if (blank)
    return "password must not be only whitespace";
  return std::nullopt;
}

std::optional<std::string> normalize_email(std::string_view raw) {
  auto blank = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!raw.empty() && blank(raw.front()))
    raw.remove_prefix(1);
  while (!raw.empty() && blank(raw.back()))
    raw.remove_suffix(1);
  if (raw.empty() || raw.size() > 254)
    return std::nullopt;
  std::string out;
  for (char c : raw) {
    if (blank(c) || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return std::nullopt;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  auto at = out.find('@');
  if (at == 0 || at == std::string::npos || out.find('@', at + 1) != out.npos)
    return std::nullopt;
  auto domain = std::string_view{out}.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == 0 || dot == domain.npos || domain.back() == '.')
    return std::nullopt;
  return out;
}

std::string new_user_id() {
  sodium_ready();
  unsigned char bin[8];
  randombytes_buf(bin, sizeof bin);
  char hex[sizeof bin * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bin, sizeof bin);
  return std::string{"u-"} + hex;
}

} // namespace berry
