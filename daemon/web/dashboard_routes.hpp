#pragma once
// The AR dashboard: its files (embedded in the binary, no CDN), and the session a person
// signs in to with an API token.
//   GET  /                   -> /ui/
//   GET  /ui/, /ui/{file}    index.html, app.js, app.css (public: they hold no data)
//   POST /web/session        {"token"}: sets the session cookie (HttpOnly, SameSite=Strict,
//                            Secure over TLS); 200 {user, role, csrf}
//   GET  /web/session        who is signed in, and the CSRF value changes must carry
//   POST /web/logout         clears the cookie

#include <memory>

#include "api/authenticator.hpp"
#include "api/gate.hpp"
#include "api/router.hpp"

namespace arcd::web {

void add_dashboard_routes(api::Router& router, api::AccessGate& gate, std::shared_ptr<api::Authenticator> auth);

}  // namespace arcd::web
