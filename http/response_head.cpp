#include "http/response_head.hpp"

#include <charconv>

#include <boost/beast/http/status.hpp>

namespace berry::http {

namespace {

bool bodiless(int status) {
  return status == 204 || status == 304 || status < 200;
}

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void append_field(std::string& out, std::string_view name,
                  std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

// The fields whose value is the edge's, whatever the handler set.
enum own_field : unsigned {
  nosniff = 1,
  policy = 2,
  framing = 4,
  referrer = 8,
  no_store = 16,
};

// Which of the edge's own fields `name` is (0 for none); its value then.
unsigned own_field_of(std::string_view name, const head_context& cx,
                      std::string_view& value) {
  // Compared by length first: most names differ in it from all of these.
  switch (name.size()) {
  case 13:
    if (cx.private_answer && iequals(name, "Cache-Control")) {
      value = "no-store";
      return no_store;
    }
    return 0;
  case 15:
    if (iequals(name, "X-Frame-Options")) {
      value = "DENY";
      return framing;
    }
    if (iequals(name, "Referrer-Policy")) {
      value = "no-referrer";
      return referrer;
    }
    return 0;
  case 22:
    if (iequals(name, "X-Content-Type-Options")) {
      value = "nosniff";
      return nosniff;
    }
    return 0;
  case 23:
    if (iequals(name, "Content-Security-Policy")) {
      value = cx.csp;
      return policy;
    }
    return 0;
  default:
    return 0;
  }
}

// The Connection field for a connection that stays open (`keep_alive`) or
// not: the handler's tokens (`value`) without close and keep-alive where
// they do not apply, then the one that does: close for HTTP/1.1,
// keep-alive for HTTP/1.0 (the other case is each version's default).
void append_connection(std::string& out, std::string_view value,
                       unsigned version, bool keep_alive) {
  bool old_http = version < 11;
  bool drop_close = old_http || keep_alive;
  bool drop_keep_alive = !old_http || !keep_alive;
  std::string_view add = old_http && keep_alive     ? "keep-alive"
                         : !old_http && !keep_alive ? "close"
                                                    : "";
  auto start = out.size();
  out.append("Connection: ");
  auto first = out.size();
  while (!value.empty()) {
    auto comma = value.find(',');
    auto token = trim_ows(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view{}
                                            : value.substr(comma + 1);
    if (token.empty())
      continue;
    if (iequals(token, "close")        ? drop_close
        : iequals(token, "keep-alive") ? drop_keep_alive
                                       : false)
      continue;
    if (!add.empty() && iequals(token, add))
      add = {};
    if (out.size() > first)
      out.append(", ");
    out.append(token);
  }
  if (!add.empty())
    out.append(out.size() > first ? ", " : "").append(add);
  if (out.size() == first)
    out.resize(start); // nothing to say: no field
  else
    out.append("\r\n");
}

} // namespace

bool sends_body(const response& res, bool head) {
  return !head && !bodiless(res.status);
}

void write_head(const response& res, const head_context& cx, std::string& out) {
  out.clear();
  out.append("HTTP/");
  out.push_back(static_cast<char>('0' + cx.version / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + cx.version % 10));
  out.push_back(' ');
  append_number(out, static_cast<std::size_t>(res.status));
  out.push_back(' ');
  out.append(boost::beast::http::obsolete_reason(
      static_cast<boost::beast::http::status>(res.status)));
  out.append("\r\nServer: berry\r\n");
  bool no_body = bodiless(res.status);
  if (!no_body && !res.content_type.empty())
    append_field(out, "Content-Type", res.content_type);
  unsigned given = 0;
  std::string_view connection;
  for (auto& [name, value] : res.headers) {
    if (iequals(name, "Connection")) {
      connection = value; // written last, as Beast's keep_alive() did
      continue;
    }
    std::string_view own;
    auto which = own_field_of(name, cx, own);
    given |= which;
    append_field(out, name, which ? own : trim_ows(value));
  }
  if (!(given & nosniff))
    out.append("X-Content-Type-Options: nosniff\r\n");
  if (!(given & policy))
    append_field(out, "Content-Security-Policy", cx.csp);
  if (!(given & framing))
    out.append("X-Frame-Options: DENY\r\n");
  if (!(given & referrer))
    out.append("Referrer-Policy: no-referrer\r\n");
  if (cx.private_answer && !(given & no_store))
    out.append("Cache-Control: no-store\r\n");
  if (!no_body) {
    // A HEAD request learns the length of the body it does not get.
    out.append("Content-Length: ");
    append_number(out, res.body.size());
    out.append("\r\n");
  }
  append_field(out, "X-Request-Id", cx.request_id);
  append_connection(out, connection, cx.version, cx.keep_alive);
  out.append("\r\n");
}

} // namespace berry::http
