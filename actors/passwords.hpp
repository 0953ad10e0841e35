#pragma once

// The slow, careful parts of accounts: argon2id password hashes
// (libsodium), emails as Berry accepts them, and fresh user ids. The
// accounts actor runs the hashing on its own worker pool.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace berry {

/// The fewest and the most characters (code points) of a password: argon2
/// would take longer ones, but nobody types them and they are a cheap way to
/// make the server work.
inline constexpr size_t min_password_chars = 8;
inline constexpr size_t max_password_chars = 1024;
/// The most bytes of a password (1024 characters of up to 4 bytes).
inline constexpr size_t max_password_bytes = 4 * max_password_chars;

/// The fewest characters of the admin's password: it opens the whole shop.
inline constexpr size_t min_admin_password_chars = 12;

/// Why `password` (valid UTF-8) cannot be one: fewer than `min_chars` (8
/// unless told) or more than 1024 characters, or only whitespace; nothing
/// when it can.
std::optional<std::string>
password_problem(std::string_view password,
                 size_t min_chars = min_password_chars);

/// An argon2id hash of `password` in libsodium's string format. Slow on
/// purpose: never call it on an Asio thread or an actor's thread.
std::string hash_password(std::string_view password);

/// True when `password` matches `hash`. Slow on purpose, like hash_password.
bool verify_password(std::string_view password, const std::string& hash);

/// `raw` trimmed and lower-cased when it is an email Berry accepts (one '@',
/// a dot in the domain, no spaces or control characters, at most 254
/// characters); nothing else. Cheap: check it before an email is used as a
/// key of anything.
std::optional<std::string> normalize_email(std::string_view raw);

/// A fresh user id: "u-" and 16 random hex digits.
std::string new_user_id();

/// Calls sodium_init once per process; throws when libsodium cannot start.
void sodium_ready();

} // namespace berry
