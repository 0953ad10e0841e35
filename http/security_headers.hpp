#pragma once

// The Content Security Policy every answer of the edge carries (with
// nosniff, no framing and no referrer: http/response_head.cpp writes them)
// and the rule for which answers must never be stored by a cache.

#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace berry::http {

/// The Content-Security-Policy for a storefront in `web_root`: only our
/// own origin, plus the hash of each inline script of its HTML pages (the
/// import map), so nothing injected can run.
std::string content_security_policy(const std::string& web_root);

/// The sha256-... source of an inline script's text, as CSP spells it.
std::string csp_hash(std::string_view script);

/// The inline scripts (no src) of an HTML page, their text verbatim.
std::vector<std::string> inline_scripts(std::string_view html);

/// True when the request carries credentials (Authorization, or the
/// tracking socket's ?access_token=).
bool carries_credentials(const request& req);

} // namespace berry::http
