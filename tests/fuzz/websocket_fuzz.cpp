// A tracking socket's client side as raw bytes: the upgrade request, then
// frames. The server's side is websocket_session's: the request read with
// the server's limits, Beast's handshake, a 4096-byte message limit, text
// frames; the client's frames are read and dropped until the socket ends.
// The first byte sets how many bytes each read gets (1..256), so frames
// and the request also arrive cut at every place. Whatever the bytes: no
// crash and no throw, and a failed handshake is answered with an HTTP
// error, never with a socket.

#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/websocket.hpp>

#include "http/beast_message.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using namespace berry;
using namespace berry::http;
using fuzz::expect;

namespace websocket = beast::websocket;

namespace {

/// websocket_session's limit on what a client may send in one message.
constexpr std::size_t read_limit = 4096;

/// Reads the upgrade request as http_session does; false when there is none.
bool read_upgrade(beast::test::stream& in, beast::flat_buffer& buffer,
                  beast_request& out) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(64 * 1024);
  beast::error_code ec;
  bhttp::read(in, buffer, parser, ec);
  if (ec)
    return false;
  out = parser.release();
  return websocket::is_upgrade(out);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  net::io_context ioc;
  std::string input{reinterpret_cast<const char*>(data) + 1, size - 1};
  beast::test::stream server{ioc, input};
  beast::test::stream client{ioc};
  server.connect(client);
  server.read_size(1 + data[0]);
  // Once the input is read, the client has said all it will: EOF.
  server.close_remote();

  beast::flat_buffer buffer;
  beast_request req;
  if (!read_upgrade(server, buffer, req))
    return 0;
  websocket::stream<beast::test::stream&> ws{server};
  ws.set_option(
      websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(bhttp::field::server, "berry");
      }));
  ws.read_message_max(read_limit);
  ws.text(true);
  beast::error_code ec;
  // As in the session, bytes read past the request are dropped: a client
  // sends its frames after the 101.
  ws.accept(req, ec);
  if (ec) {
    expect(!ws.is_open(), "a refused handshake opens no socket");
    return 0;
  }
  expect(ws.is_open(), "an accepted handshake opens the socket");
  for (;;) {
    beast::flat_buffer frames;
    ws.read(frames, ec);
    if (ec)
      break;
    expect(frames.size() <= read_limit, "no message over the read limit");
  }
  return 0;
}
