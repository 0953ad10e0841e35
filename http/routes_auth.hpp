#pragma once

// Register and login: the two public endpoints of accounts. Validation is
// pure and declared here so it can be tested without a server; the
// handlers ask the accounts actor (actors/accounts.hpp) and answer with a
// token for the account it names.

#include <string>

#include "http/message.hpp"
#include "http/problem.hpp"
#include "protocols/accounts.hpp"

namespace berry::http {

struct route_env;

/// The most characters of a name.
inline constexpr size_t max_name_chars = 100;

/// The body of POST /api/v1/auth/register: a 400 problem when it is not a
/// JSON object, a 422 "validation" problem naming the field that is wrong.
outcome<registration> parse_registration(const request& req);

/// The body of POST /api/v1/auth/login: 400 when not a JSON object, 422
/// when email or password is missing or not a string, the email is not one
/// or longer than 254 characters, or the password longer than 1024.
outcome<credentials> parse_credentials(const request& req);

/// POST /api/v1/auth/register -> 201 {user_id, token, role}; 409, 422;
/// 503 with Retry-After while the accounts workers are full.
void post_register(const route_env& env, const request& req, responder respond);

/// POST /api/v1/auth/login -> 200 {user_id, token, role}; 401; 429 with
/// Retry-After once this client has failed too often at this account; 503
/// with Retry-After while the accounts workers are full.
void post_login(const route_env& env, const request& req, responder respond);

/// POST /api/v1/auth/logout (auth) -> 204; the token is refused from then
/// on.
void post_logout(const route_env& env, const request& req, responder respond);

} // namespace berry::http
