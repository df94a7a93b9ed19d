// The OpenAPI 3.1 document of frameserve's HTTP API. Its source is
// api/openapi.json; the build embeds it (scripts/embed_text.sh), so the
// binary serves exactly the committed file and needs nothing at run time.
#pragma once

#include <string_view>

namespace frameserve::http {

// The document's JSON text, as committed; cannot fail.
std::string_view openapi_document();

}  // namespace frameserve::http
