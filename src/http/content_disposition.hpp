// Content-Disposition for media responses, so that `curl -OJ`, wget and a
// browser's "save as" get a useful name ("film_f300-599.ts") instead of the
// last path segment ("clip").
//
// The name is the registered file's name without its extension, then what
// was cut, then the extension of what is sent. It is sanitised (no quotes,
// slashes, backslashes or control characters, no leading dots, bounded in
// length, the file's own name cut first so the extension survives), sent as a quoted ASCII `filename` for every client,
// and, when it holds non-ASCII characters, also as the RFC 6266 / RFC 5987 `filename*=UTF-8''…` that modern clients
// prefer.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "http/request_context.hpp"

namespace frameserve::http {

// `name` made safe as a file name: characters a file system or the header
// syntax would misread become '_', invalid UTF-8 too; at most `max_bytes`
// long (never cutting a character); never empty.
std::string sanitize_filename(std::string_view name, size_t max_bytes = 200);

// The header value: `inline` or `attachment`, the ASCII fallback and, for
// non-ASCII names, filename*. `filename` is sanitised here.
std::string content_disposition(std::string_view filename, bool attachment);

// Sets Content-Disposition for a response made from ctx's file:
// "<file name without extension><suffix>.<extension>" (no dot when
// `extension` is empty), `attachment` when the request has download=1.
// Errors: `invalid_argument` when download is neither 0 nor 1.
Status set_download_name(RequestContext& ctx, std::string_view suffix, std::string_view extension);

// The extension of a path's file name without the dot ("" when none).
std::string_view file_extension(std::string_view path);

}  // namespace frameserve::http
