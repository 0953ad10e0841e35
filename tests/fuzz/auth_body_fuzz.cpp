// The bodies of POST /api/v1/auth/register and /login: whatever the bytes,
// the decoders answer a value or a 4xx problem (never throw), and what
// they let through is what the accounts actor may take: an email of at
// most 254 characters with one '@', a password of 8..1024 characters that
// is not only whitespace (login: at most 1024), a trimmed name of 1..100.

#include <cstddef>
#include <cstdint>

#include "actors/passwords.hpp"
#include "http/routes_auth.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace berry;
using namespace berry::http;
using fuzz::expect;

namespace {

void expect_email(const std::string& email) {
  expect(!email.empty() && email.size() <= 254, "an email of 1..254 bytes");
  expect(email.find('@') != std::string::npos, "an email has an '@'");
  expect(valid_utf8(email), "an email is UTF-8");
}

void check_registration(const request& req) {
  auto reg = parse_registration(req);
  if (!fuzz::accepted(reg))
    return;
  expect_email(reg->email);
  auto chars = fuzz::utf8_chars(reg->password);
  expect(chars >= 8 && chars <= max_password_chars,
         "a password of 8..1024 characters");
  expect(reg->password.find_first_not_of(" \t\r\n\f\v") != std::string::npos,
         "a password is not only whitespace");
  expect(!reg->name.empty() && fuzz::utf8_chars(reg->name) <= max_name_chars,
         "a name of 1..100 characters");
  expect(reg->name.front() != ' ' && reg->name.back() != ' ',
         "a name is trimmed");
}

void check_credentials(const request& req) {
  auto cred = parse_credentials(req);
  if (!fuzz::accepted(cred))
    return;
  expect_email(cred->email);
  expect(fuzz::utf8_chars(cred->password) <= max_password_chars &&
             cred->password.size() <= max_password_bytes,
         "a login password of at most 1024 characters");
  expect(cred->client == req.client, "the limiter's key is the client");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto req = fuzz::body_request(data, size);
  check_registration(req);
  check_credentials(req);
  return 0;
}
