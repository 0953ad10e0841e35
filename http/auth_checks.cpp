// The request side of http/auth.hpp: the failed-login limiter and the
// checks every (auth) handler starts with. The cryptography is in auth.cpp.

#include "http/auth.hpp"

#include <algorithm>

#include "http/query.hpp"
#include "http/routes.hpp"

namespace berry::http {

namespace {

// Past this many tracked accounts, a failure sweeps out the ones whose
// failures have all aged out, so guessing at random emails cannot grow the
// table without bound.
constexpr size_t sweep_threshold = 10000;

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

problem unauthorized(std::string detail) {
  return make_problem(berry_errc::unauthorized, std::move(detail));
}

/// The token of `req`: the bearer credentials, else `?access_token=`.
outcome<std::string> find_token(const request& req) {
  auto header = trim(req.header_value("Authorization"));
  if (!header.empty()) {
    constexpr std::string_view scheme = "bearer ";
    if (header.size() <= scheme.size() ||
        !iequals(header.substr(0, scheme.size()), scheme))
      return unauthorized("the Authorization header is not a bearer token");
    return std::string{trim(header.substr(scheme.size()))};
  }
  if (!req.query.empty()) {
    auto pairs = parse_query(req.query);
    if (pairs)
      for (auto& [k, v] : *pairs)
        if (k == "access_token" && !v.empty())
          return v;
  }
  return unauthorized("a bearer token is missing");
}

} // namespace

login_limiter::login_limiter(int max_failures, std::chrono::seconds window)
    : max_failures_(std::max(1, max_failures)), window_(window) {}

int64_t login_limiter::retry_after(const std::string& account,
                                   int64_t now) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = failures_.find(account);
  if (i == failures_.end())
    return 0;
  std::vector<int64_t> recent;
  for (auto t : i->second)
    if (t > now - window_.count())
      recent.push_back(t);
  if (recent.size() < static_cast<size_t>(max_failures_))
    return 0;
  // Allowed again once all but max_failures - 1 of them have aged out.
  std::sort(recent.begin(), recent.end());
  auto frees_at = recent[recent.size() - max_failures_] + window_.count();
  return std::max<int64_t>(1, frees_at - now);
}

void login_limiter::record_failure(const std::string& account, int64_t now) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto old = [&](int64_t t) { return t <= now - window_.count(); };
  if (failures_.size() > sweep_threshold) {
    for (auto i = failures_.begin(); i != failures_.end();) {
      if (std::all_of(i->second.begin(), i->second.end(), old))
        i = failures_.erase(i);
      else
        ++i;
    }
  }
  auto& times = failures_[account];
  times.erase(std::remove_if(times.begin(), times.end(), old), times.end());
  times.push_back(now);
  // Only the newest max_failures count towards the limit.
  if (times.size() > static_cast<size_t>(max_failures_))
    times.erase(times.begin(), times.end() - max_failures_);
}

void login_limiter::record_success(const std::string& account) {
  std::lock_guard<std::mutex> guard{mtx_};
  failures_.erase(account);
}

outcome<principal> authenticate(const route_env& env, const request& req) {
  if (!env.ctx.tokens)
    return make_problem(berry_errc::unavailable,
                        "authentication is not available");
  auto token = find_token(req);
  if (!token)
    return token.error();
  token_fault why;
  auto who = env.ctx.tokens->check(*token, unix_now(), why);
  if (who)
    return std::move(*who);
  if (why == token_fault::expired)
    return unauthorized("the bearer token has expired");
  return unauthorized("the bearer token is invalid");
}

outcome<principal> authorize(const route_env& env, const request& req,
                             std::string_view role) {
  auto who = authenticate(env, req);
  if (who && who->role != role)
    return make_problem(berry_errc::forbidden,
                        "this needs the " + std::string{role} + " role");
  return who;
}

} // namespace berry::http
