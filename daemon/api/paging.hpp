#pragma once
// ?after=ID&limit=N keyset paging, checked: a bad value is the client's error (400).

#include <optional>

#include "api/http_types.hpp"
#include "arcd/store.hpp"

namespace arcd::api {

std::optional<Page> page_of(const HttpRequest& r, HttpResponse& error);

// The {name} path segment as an id; nullopt (and a 400 in `error`) when it is not a number.
std::optional<long long> id_param(const HttpRequest& r, const std::string& name, HttpResponse& error);

}  // namespace arcd::api
