#include "http/file_response.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/nginx_config.hpp"
#include "auth/crypto.hpp"
#include "common/log.hpp"
#include "common/text.hpp"
#include "common/unique_fd.hpp"
#include "http/access_log.hpp"
#include "http/conditional.hpp"
#include "http/range_request.hpp"
#include "http/responses.hpp"
#include "http/stream_response.hpp"

namespace frameserve::http {

std::string content_type_for_path(const std::string& path) {
  std::string ext = to_lower_ascii(path.substr(path.find_last_of('.') + 1));
  if (ext == "mp4" || ext == "m4v") return "video/mp4";
  if (ext == "webm") return "video/webm";
  if (ext == "mkv") return "video/x-matroska";
  if (ext == "ts" || ext == "m2ts" || ext == "mts") return "video/mp2t";
  if (ext == "mov") return "video/quicktime";
  if (ext == "avi") return "video/x-msvideo";
  return "application/octet-stream";
}

namespace {
// Bodies longer than this hold a worker long enough to count as a stream.
constexpr uint64_t k_stream_min_bytes = 1 << 20;
// File bytes are read into one buffer of this size per response, reused for
// every chunk. A fresh 1 MB std::string per chunk was mapped and unmapped by
// glibc each time (serve fixes its mmap threshold at 1 MB) and its pages
// faulted in on every pread: 461 mmap + 461 munmap for a 484 MB file, and
// 2.6x slower than nginx. 256 KiB stays below the threshold (the thread's
// arena keeps it between responses) and in the cache between the pread and
// the send.
constexpr size_t k_chunk = 256 * 1024;

// A piece of the body: literal bytes (multipart headers) or a file range.
struct Segment {
  std::string literal;
  uint64_t file_offset = 0;
  uint64_t length = 0;  // for file ranges; literal.size() otherwise
  bool is_file = false;
};

struct FileBody {
  UniqueFd fd;
  std::vector<Segment> segments;
  std::shared_ptr<StreamGate::Ticket> ticket;
  std::unique_ptr<char[]> buffer;  // k_chunk bytes, allocated on the first file chunk
};

// Writes up to k_chunk bytes of the body starting at `offset`.
bool write_body(FileBody& body, size_t offset, httplib::DataSink& sink) {
  uint64_t position = 0;
  for (const Segment& segment : body.segments) {
    uint64_t length = segment.is_file ? segment.length : segment.literal.size();
    if (offset >= position + length) {
      position += length;
      continue;
    }
    uint64_t within = offset - position;
    if (!segment.is_file) {
      if (!sink.write(segment.literal.data() + within, static_cast<size_t>(length - within))) return false;
      current_request().streamed_bytes += length - within;
      return true;
    }
    size_t want = static_cast<size_t>(std::min<uint64_t>(k_chunk, length - within));
    if (!body.buffer) body.buffer = std::make_unique_for_overwrite<char[]>(k_chunk);
    ssize_t n = ::pread(body.fd.get(), body.buffer.get(), want, static_cast<off_t>(segment.file_offset + within));
    if (n <= 0) {
      log::error("reading the video file failed at offset " + std::to_string(segment.file_offset + within));
      return false;
    }
    if (!sink.write(body.buffer.get(), static_cast<size_t>(n))) return false;
    current_request().streamed_bytes += static_cast<uint64_t>(n);
    return true;
  }
  return false;
}

// 20 characters, the length nginx uses, so that responses are the same size.
std::string make_boundary() {
  auto bytes = auth::random_bytes(10);
  return bytes ? hex_encode(reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size())
               : std::string("frameserve0boundary0");
}
// realpath(3) as a string; empty when the path does not resolve.
std::string canonical_path(const std::string& path) {
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) ? std::string(resolved) : std::string();
}

// Percent-encodes everything but unreserved characters and '/', so that any
// file name survives as a URI path (nginx decodes it again).
std::string uri_path_escape(const std::string& path) {
  static const char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}
}  // namespace

std::optional<std::string> accel_redirect_target(const std::vector<std::string>& media_roots, const std::string& path) {
  std::string file = canonical_path(path);
  if (file.empty()) return std::nullopt;
  for (const std::string& root : media_roots) {
    std::string dir = canonical_path(root);
    if (dir.empty()) continue;
    if (dir.back() != '/') dir += '/';
    if (file.size() > dir.size() && file.compare(0, dir.size(), dir) == 0) {
      return std::string(app::k_accel_redirect_prefix) + uri_path_escape(file);
    }
  }
  return std::nullopt;
}

Status send_file(RequestContext& ctx, const std::string& path, const std::string& content_type,
                 const std::string& etag_tag) {
  if (ctx.server.config.accel_redirect) {
    if (auto target = accel_redirect_target(ctx.server.config.media_roots, path)) {
      // nginx serves the body (sendfile, Range, If-Range, 304, 416) from its
      // internal location; only Content-Type and Cache-Control of this
      // answer survive the redirect.
      ctx.res.status = 200;
      ctx.res.set_header("X-Accel-Redirect", *target);
      ctx.res.set_content("", content_type);
      return Status();
    }
  }
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0) {
    // The route checked the file just before (import::require_unchanged):
    // this is a file deleted since, answered as that check would.
    log::error("registered file is missing on disk: " + path);
    return make_error(ErrorKind::gone, "file_missing", "the file is registered but missing on disk");
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%llx-%llx", static_cast<unsigned long long>(st.st_mtim.tv_sec),
                static_cast<unsigned long long>(size));
  std::string etag = "\"" + (etag_tag.empty() ? std::string() : etag_tag + "-") + stamp + "\"";
  Validators validators{etag, http_date(st.st_mtim.tv_sec)};

  auto& req = const_cast<httplib::Request&>(ctx.req);
  req.ranges.clear();  // ranges are decided here, not by httplib
  std::string if_none_match = ctx.req.get_header_value("If-None-Match");
  std::string if_modified_since = ctx.req.get_header_value("If-Modified-Since");
  std::string if_range = ctx.req.get_header_value("If-Range");
  std::string range_header = ctx.req.get_header_value("Range");

  ctx.res.set_header("ETag", validators.etag);
  ctx.res.set_header("Last-Modified", validators.last_modified);
  ctx.res.set_header("Accept-Ranges", "bytes");
  // Header values are copied above so that these views stay valid.
  auto opt = [](const httplib::Request& r, const char* name, const std::string& value) {
    return r.has_header(name) ? std::optional<std::string_view>(value) : std::nullopt;
  };
  if (not_modified(opt(ctx.req, "If-None-Match", if_none_match), opt(ctx.req, "If-Modified-Since", if_modified_since),
                   validators)) {
    ctx.res.status = 304;
    return Status();
  }

  RangeRequest range;
  if (if_range_matches(opt(ctx.req, "If-Range", if_range), validators)) {
    range = evaluate_range(opt(ctx.req, "Range", range_header), size);
  }
  if (range.kind == RangeRequest::Kind::unsatisfiable) {
    send_error(ctx.res,
               make_error(ErrorKind::range_not_satisfiable, "range_not_satisfiable",
                          "the Range header asks for bytes outside the file (size " + std::to_string(size) + ")"));
    ctx.res.set_header("Content-Range", "bytes */" + std::to_string(size));
    return Status();
  }

  auto body = std::make_shared<FileBody>();
  body->fd = std::move(fd);
  std::string body_type = content_type;
  if (range.kind == RangeRequest::Kind::full) {
    ctx.res.status = 200;
    body->segments.push_back(Segment{"", 0, size, true});
  } else if (range.kind == RangeRequest::Kind::single) {
    ctx.res.status = 206;
    const ByteRange& r = range.ranges.front();
    ctx.res.set_header("Content-Range", content_range_value(r, size));
    body->segments.push_back(Segment{"", r.first, r.length(), true});
  } else {
    ctx.res.status = 206;
    std::string boundary = make_boundary();
    body_type = "multipart/byteranges; boundary=" + boundary;
    for (const ByteRange& r : range.ranges) {
      body->segments.push_back(Segment{"\r\n--" + boundary + "\r\nContent-Type: " + content_type +
                                           "\r\nContent-Range: " + content_range_value(r, size) + "\r\n\r\n",
                                       0, 0, false});
      body->segments.push_back(Segment{"", r.first, r.length(), true});
    }
    body->segments.push_back(Segment{"\r\n--" + boundary + "--\r\n", 0, 0, false});
  }
  uint64_t length = 0;
  for (const Segment& s : body->segments) length += s.is_file ? s.length : s.literal.size();
  if (length == 0) {
    ctx.res.set_content("", body_type);
    return Status();
  }
  if (!ctx.is_head() && length > k_stream_min_bytes) {
    // Long downloads hold a worker thread; count them.
    auto ticket = enter_stream_gate(ctx);
    if (!ticket) return ticket.error();
    body->ticket = std::move(ticket.value());
  }
  ctx.res.set_content_provider(
      static_cast<size_t>(length), body_type,
      [body](size_t offset, size_t, httplib::DataSink& sink) { return write_body(*body, offset, sink); },
      [body](bool) {
        body->fd.reset();
        body->ticket.reset();
        body->buffer.reset();
      });
  return Status();
}

}  // namespace frameserve::http
