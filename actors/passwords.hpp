#pragma once

// The slow, careful parts of accounts: argon2id password hashes
// (libsodium), emails as Berry accepts them, and fresh user ids. The
// accounts actor runs the hashing on its own worker pool.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace berry {

/// The most bytes of a password: argon2 would take longer ones, but nobody
/// types them and they are a cheap way to make the server work.
inline constexpr size_t max_password_bytes = 1024;

/// An argon2id hash of `password` in libsodium's string format. Slow on
/// purpose: never call it on an Asio thread or an actor's thread.
std::string hash_password(std::string_view password);

/// True when `password` matches `hash`. Slow on purpose, like hash_password.
bool verify_password(std::string_view password, const std::string& hash);

/// `raw` trimmed and lower-cased when it is an email Berry accepts (one '@',
/// a dot in the domain, no spaces, at most 254 characters); nothing else.
std::optional<std::string> normalize_email(std::string_view raw);

/// A fresh user id: "u-" and 16 random hex digits.
std::string new_user_id();

/// Calls sodium_init once per process; throws when libsodium cannot start.
void sodium_ready();

} // namespace berry
