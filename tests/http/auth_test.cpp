#include "http/auth.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "actors/accounts_tokens.hpp"
#include "actors/passwords.hpp"
#include "http/routes.hpp"
#include "http/routes_auth.hpp"

using namespace berry::http;

namespace {

const std::string key_a(32, 'a');
const std::string key_b(32, 'b');
constexpr int64_t t0 = 1700000000;

// Flips one character of `s` at `pos` to another base64url character.
std::string flip(std::string s, size_t pos) {
  s[pos] = s[pos] == 'A' ? 'B' : 'A';
  return s;
}

request json_request(std::string body) {
  request req;
  req.method = "POST";
  req.headers.push_back({"Content-Type", "application/json"});
  req.body = std::move(body);
  return req;
}

} // namespace

TEST_CASE("a token verifies to the principal it was issued for") {
  token_service tokens{key_a, std::chrono::hours(1)};
  auto token = tokens.issue({"u-0123456789abcdef", "admin"}, t0);
  auto who = tokens.verify(token, t0 + 10);
  REQUIRE(who);
  CHECK(who->user_id == "u-0123456789abcdef");
  CHECK(who->role == "admin");
  CHECK(token.find_first_of("+/=") == std::string::npos);
}

TEST_CASE("a token whose payload or signature was changed is refused") {
  token_service tokens{key_a};
  auto token = tokens.issue({"u-0123456789abcdef", "customer"}, t0);
  auto dot = token.find('.');
  REQUIRE(dot != std::string::npos);
  for (size_t pos : {size_t{0}, dot / 2, dot - 2, dot + 1, token.size() - 3})
    CHECK_FALSE(tokens.verify(flip(token, pos), t0));
  CHECK_FALSE(tokens.verify(token.substr(0, dot), t0));
  CHECK_FALSE(tokens.verify(token + "." + token.substr(dot + 1), t0));
  CHECK_FALSE(tokens.verify("", t0));
  CHECK_FALSE(tokens.verify("!!!.???", t0));
}

TEST_CASE("a token signed with another key is refused") {
  token_service ours{key_a};
  token_service theirs{key_b};
  auto token = theirs.issue({"u-0123456789abcdef", "admin"}, t0);
  token_fault why = token_fault::none;
  CHECK_FALSE(ours.check(token, t0, why));
  CHECK(why == token_fault::invalid);
}

TEST_CASE("a token is refused as expired once its lifetime has passed") {
  token_service tokens{key_a, std::chrono::seconds(60)};
  auto token = tokens.issue({"u-0123456789abcdef", "customer"}, t0);
  CHECK(tokens.verify(token, t0 + 59));
  token_fault why = token_fault::none;
  CHECK_FALSE(tokens.check(token, t0 + 60, why));
  CHECK(why == token_fault::expired);
}

TEST_CASE("a token checked before answers the same, and still expires") {
  // The service keeps what it verified: the second check of a token must
  // say what the first did, and time must still end it.
  token_service tokens{key_a, std::chrono::seconds(60)};
  auto token = tokens.issue({"u-0123456789abcdef", "courier", 3, {}, 0}, t0);
  auto first = tokens.verify(token, t0);
  auto again = tokens.verify(token, t0 + 30);
  REQUIRE(first);
  REQUIRE(again);
  CHECK(again->user_id == first->user_id);
  CHECK(again->role == "courier");
  CHECK(again->token_version == 3);
  CHECK(again->token_id == first->token_id);
  CHECK(again->expires_at == t0 + 60);
  // A copy of it differs from the kept one: refused all the same.
  auto dot = token.find('.');
  CHECK_FALSE(tokens.verify(flip(token, dot + 1), t0 + 30));
  token_fault why = token_fault::none;
  CHECK_FALSE(tokens.check(token, t0 + 60, why));
  CHECK(why == token_fault::expired);
  // Another service, another key: what this one kept means nothing there.
  token_service other{key_b, std::chrono::seconds(60)};
  CHECK_FALSE(other.verify(token, t0 + 30));
}

TEST_CASE("the token key is created once with mode 0600 and then reused") {
  auto dir = std::filesystem::temp_directory_path() /
             ("berry-key-" + berry::new_user_id());
  std::filesystem::create_directories(dir);
  auto key = load_or_create_token_key(dir.string());
  CHECK(key.size() == 32);
  struct stat st {};
  REQUIRE(::stat((dir / "token.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(load_or_create_token_key(dir.string()) == key);
  { std::ofstream{dir / "token.key", std::ios::trunc} << "short"; }
  CHECK_THROWS(load_or_create_token_key(dir.string()));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a registration needs an email, an 8-character password, a name") {
  auto ok = parse_registration(json_request(
      R"({"email":" Anna@Example.ru","password":"пароль12","name":" Анна "})"));
  REQUIRE(ok);
  CHECK(ok->email == "anna@example.ru");
  CHECK(ok->name == "Анна");
  auto status = [](const std::string& body) {
    auto r = parse_registration(json_request(body));
    return r ? 0 : r.error().status;
  };
  CHECK(status(R"({"email":"a@b.ru","password":"short","name":"A"})") == 422);
  CHECK(status(R"({"email":"nope","password":"long enough","name":"A"})") ==
        422);
  CHECK(status(R"({"email":"a@b.ru","password":"long enough","name":" "})") ==
        422);
  CHECK(status(R"({"email":"a@b.ru","password":"long enough"})") == 422);
  CHECK(status(R"({"email":"a@b.ru","password":12345678,"name":"A"})") == 422);
  CHECK(status(R"({"email":"a@b.ru","password":")" + std::string(1025, 'x') +
               R"(","name":"A"})") == 422);
  CHECK(status(R"({"email":)") == 400);
}

TEST_CASE("a request is authenticated by its bearer token, not by the query") {
  token_service tokens{key_a};
  route_env env;
  env.ctx.tokens = &tokens;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto token = tokens.issue({"u-0123456789abcdef", "customer"}, now);
  request req;
  CHECK(authenticate(env, req).error().status == 401);
  req.headers.push_back({"authorization", "Bearer " + token});
  auto who = authenticate(env, req);
  REQUIRE(who);
  CHECK(who->user_id == "u-0123456789abcdef");
  CHECK(authorize(env, req, "admin").error().status == 403);
  CHECK(authorize(env, req, "admin").error().slug == "forbidden");
  req.headers = {{"Authorization", "Basic abc"}};
  CHECK(authenticate(env, req).error().slug == "unauthorized");
  req.headers.clear();
  // ?access_token= is the tracking socket's alone (routes_tracking.cpp).
  req.query = "x=1&access_token=" + token;
  CHECK(authenticate(env, req).error().status == 401);
}

TEST_CASE("a login's email is checked before anything else") {
  auto status = [](const std::string& body) {
    auto r = parse_credentials(json_request(body));
    return r ? 0 : r.error().status;
  };
  CHECK(status(R"({"email":" Anna@Example.ru ","password":"x"})") == 0);
  CHECK(status(R"({"email":"nope","password":"x"})") == 422);
  CHECK(status(R"({"email":")" + std::string(250, 'a') +
               R"(@b.ru","password":"x"})") == 422);
  CHECK(status(R"({"email":"a@b.ru","password":")" + std::string(1025, 'x') +
               R"("})") == 422);
  request req = json_request(R"({"email":"A@b.ru","password":"x"})");
  req.client = "10.1.2.3";
  auto c = parse_credentials(req);
  REQUIRE(c);
  CHECK(c->email == "a@b.ru");
  CHECK(c->client == "10.1.2.3");
}

TEST_CASE("a password of only whitespace is not one") {
  CHECK(berry::password_problem("        "));
  CHECK(berry::password_problem("\t\n      "));
  CHECK(berry::password_problem("1234567"));
  CHECK_FALSE(berry::password_problem(" pass word "));
  CHECK_FALSE(berry::password_problem(std::string(1024, 'x')));
  CHECK(berry::password_problem(std::string(1025, 'x')));
}

TEST_CASE("a token names the account's version and has an id of its own") {
  token_service tokens{key_a, std::chrono::seconds(60)};
  auto a = tokens.issue({"u-1", "customer", 7}, t0);
  auto b = tokens.issue({"u-1", "customer", 7}, t0);
  CHECK(a != b);
  auto who = tokens.verify(a, t0);
  REQUIRE(who);
  CHECK(who->token_version == 7);
  CHECK(who->expires_at == t0 + 60);
  CHECK_FALSE(who->token_id.empty());
  CHECK(who->token_id != tokens.verify(b, t0)->token_id);
  CHECK_FALSE(tokens.verify(a, t0 + 60));
}

TEST_CASE("a signed token is refused once signed out, superseded or of no "
          "account") {
  token_service tokens{key_a};
  berry::token_registry sessions;
  sessions.load({{"u-1", 0}, {"u-2", 3}}, {});
  route_env env;
  env.ctx.tokens = &tokens;
  env.ctx.sessions = &sessions;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto with = [](const std::string& token) {
    request req;
    req.headers.push_back({"Authorization", "Bearer " + token});
    return req;
  };
  auto one = tokens.issue({"u-1", "customer", 0}, now);
  auto other = tokens.issue({"u-1", "customer", 0}, now);
  REQUIRE(authenticate(env, with(one)));
  sessions.revoke(tokens.verify(one, now)->token_id, now + 100, now);
  CHECK(authenticate(env, with(one)).error().status == 401);
  CHECK(authenticate(env, with(other)));
  sessions.set_version("u-1", 1);
  CHECK(authenticate(env, with(other)).error().status == 401);
  CHECK(authenticate(env, with(tokens.issue({"u-1", "customer", 1}, now))));
  CHECK(authenticate(env, with(tokens.issue({"u-9", "admin", 0}, now)))
            .error()
            .status == 401);
  CHECK_FALSE(
      authenticate(env, with(tokens.issue({"u-2", "customer", 2}, now))));
}

TEST_CASE("expired revocations are swept as the table grows") {
  berry::token_registry sessions;
  for (int i = 0; i < 1000; ++i)
    sessions.revoke("t-" + std::to_string(i), t0 + 10, t0);
  CHECK(sessions.revoked_count() == 1000);
  for (int i = 0; i < 3000; ++i)
    sessions.revoke("n-" + std::to_string(i), t0 + 100, t0 + 20);
  CHECK(sessions.revoked_count() < 3000 + 1000);
  CHECK(sessions.revoked_count() >= 3000);
}
