#include "http/json_body.hpp"

namespace berry::http {

outcome<nlohmann::json> parse_json_body(const request& req) {
  if (req.body.empty())
    return make_problem(400, "bad-request", "a JSON object body is required");
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded())
    return make_problem(400, "bad-request", "the body is not valid JSON");
  if (!j.is_object())
    return make_problem(400, "bad-request", "the body must be a JSON object");
  return j;
}

} // namespace berry::http
