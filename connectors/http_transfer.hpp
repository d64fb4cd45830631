#pragma once
// How HttpClient carries out a prepared libcurl easy handle: on the multi handle of the
// HttpLanes run that the calling fiber belongs to, or with a blocking curl_easy_perform when
// the caller is not a lane.

#include <curl/curl.h>

namespace arcd::connectors {

CURLcode perform_transfer(CURL* easy);

}  // namespace arcd::connectors
