#pragma once

// The vocabulary of accounts: what the edge asks the accounts actor
// (protocols/interfaces.hpp) and what it answers.

#include <string>

#include <caf/meta/type_name.hpp>

namespace berry {

/// A valid registration: email normalized (trimmed, lower case), name
/// trimmed.
struct registration {
  std::string email;
  std::string password;
  std::string name;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registration& x) {
  return f(caf::meta::type_name("registration"), x.email, x.password, x.name);
}

/// What a login sends. `email` is trimmed and lower-cased, not validated:
/// an address that cannot exist simply matches no account.
struct credentials {
  std::string email;
  std::string password;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, credentials& x) {
  return f(caf::meta::type_name("credentials"), x.email, x.password);
}

/// Who an account is, once registered or logged in: what a token names.
struct account_principal {
  std::string user_id;
  std::string role; ///< customer | courier | admin
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_principal& x) {
  return f(caf::meta::type_name("account_principal"), x.user_id, x.role);
}

} // namespace berry
