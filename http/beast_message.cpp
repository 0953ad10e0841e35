#include "http/beast_message.hpp"

namespace berry::http {

request to_request(beast_request&& msg) {
  request req;
  req.method = std::string{msg.method_string()};
  req.target = std::string{msg.target()};
  auto qmark = req.target.find('?');
  req.path = req.target.substr(0, qmark);
  if (qmark != std::string::npos)
    req.query = req.target.substr(qmark + 1);
  for (auto& f : msg)
    req.headers.emplace_back(std::string{f.name_string()},
                             std::string{f.value()});
  req.body = std::move(msg.body());
  req.request_id = pick_request_id(msg["X-Request-Id"]);
  return req;
}

std::string forwarded_for(const beast_request& msg) {
  std::string out;
  for (auto range = msg.equal_range("X-Forwarded-For");
       range.first != range.second; ++range.first)
    out.append(out.empty() ? "" : ",").append(range.first->value());
  return out;
}

} // namespace berry::http
