#pragma once

// Register and login: the two public endpoints of accounts. Validation is
// pure and declared here so it can be tested without a server; the
// handlers hash and verify passwords on the read pool and write new
// accounts through the journal.

#include <string>

#include "http/message.hpp"
#include "http/problem.hpp"

namespace berry::http {

struct route_env;

/// A valid registration: email normalized (trimmed, lower case), name
/// trimmed.
struct registration {
  std::string email;
  std::string password;
  std::string name;
};

/// What a login sends. `email` is trimmed and lower-cased, not validated:
/// an address that cannot exist simply matches no account.
struct credentials {
  std::string email;
  std::string password;
};

/// The fewest characters of a password.
inline constexpr size_t min_password_chars = 8;
/// The most bytes of a password: argon2 would take longer ones, but nobody
/// types them and they are a cheap way to make the server work.
inline constexpr size_t max_password_bytes = 1024;
/// The most characters of a name.
inline constexpr size_t max_name_chars = 100;

/// The body of POST /api/v1/auth/register: a 400 problem when it is not a
/// JSON object, a 422 "validation" problem naming the field that is wrong.
outcome<registration> parse_registration(const request& req);

/// The body of POST /api/v1/auth/login: 400 when not a JSON object, 422
/// when email or password is missing or not a string.
outcome<credentials> parse_credentials(const request& req);

/// POST /api/v1/auth/register -> 201 {user_id, token, role}; 409, 422.
void post_register(const route_env& env, const request& req, responder respond);

/// POST /api/v1/auth/login -> 200 {user_id, token, role}; 401; 429 with
/// Retry-After once the account has failed too often.
void post_login(const route_env& env, const request& req, responder respond);

} // namespace berry::http
