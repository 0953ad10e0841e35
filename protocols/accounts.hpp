#pragma once

// The vocabulary of accounts: what the edge asks the accounts actor
// (protocols/interfaces.hpp) and what it answers.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/meta/type_name.hpp>

namespace berry {

/// Set by the edge once the client that asked has closed its connection:
/// slow work for it (a password hash) that has not started is dropped. Null
/// when nobody watches. Meaningful within one process only, so never
/// serialized: across nodes it arrives null.
using client_gone_flag = std::shared_ptr<const std::atomic<bool>>;

/// A valid registration: email normalized (trimmed, lower case), name
/// trimmed.
struct registration {
  std::string email;
  std::string password;
  std::string name;
  client_gone_flag gone; ///< not inspected: see client_gone_flag
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registration& x) {
  return f(caf::meta::type_name("registration"), x.email, x.password, x.name);
}

/// What a login sends: a normalized email (trimmed, lower case, checked),
/// the password, and the caller's address. Failed logins are limited per
/// (client, email), so that a stranger cannot lock an owner out.
struct credentials {
  std::string email;
  std::string password;
  std::string client;
  client_gone_flag gone; ///< not inspected: see client_gone_flag
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, credentials& x) {
  return f(caf::meta::type_name("credentials"), x.email, x.password, x.client);
}

/// Who an account is, once registered or logged in: what a token names.
struct account_principal {
  std::string user_id;
  std::string role; ///< customer | courier | admin
  /// The account's token version: a token of an older one is refused.
  int64_t token_version = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_principal& x) {
  return f(caf::meta::type_name("account_principal"), x.user_id, x.role,
           x.token_version);
}

} // namespace berry
