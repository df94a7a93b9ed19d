#include "http/content_disposition.hpp"

#include "common/text.hpp"
#include "http/query_params.hpp"

namespace frameserve::http {

namespace {

// The registered name's share of a download name: long enough for any real
// title, leaving room for what was cut and the extension within the 200
// bytes sanitize_filename allows (file systems take 255).
constexpr size_t k_max_stem_bytes = 150;

// Length of the UTF-8 sequence starting at text[i], or 0 when it is invalid
// (bad lead byte, truncated, bad continuation, overlong, surrogate or > U+10FFFF).
size_t utf8_sequence_length(std::string_view text, size_t i, uint32_t& code_point) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  code_point = length == 1 ? lead : lead & (0x7f >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr uint32_t k_min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < k_min_for_length[length] || code_point > 0x10ffff ||
      (code_point >= 0xd800 && code_point <= 0xdfff)) {
    return 0;
  }
  return length;
}

// Characters that would end the quoted header value, name a directory,
// or that Windows refuses in file names.
bool is_unsafe_ascii(uint32_t c) {
  return c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '/' || c == ':' || c == '*' || c == '?' || c == '<' ||
         c == '>' || c == '|' || c == '%';
}

// RFC 5987 attr-char: sent as is in filename*; everything else is %XX.
bool is_attr_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// A dot at the start of a name (".hidden") does not begin an extension.
size_t extension_dot(std::string_view name) {
  size_t dot = name.find_last_of('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view::npos : dot;
}

std::string_view file_stem(std::string_view path) {
  std::string_view name = path_file_name(path);
  size_t dot = extension_dot(name);
  return dot == std::string_view::npos ? name : name.substr(0, dot);
}

}  // namespace

std::string_view file_extension(std::string_view path) {
  std::string_view name = path_file_name(path);
  size_t dot = extension_dot(name);
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

std::string sanitize_filename(std::string_view name, size_t max_bytes) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    uint32_t c = 0;
    size_t length = utf8_sequence_length(name, i, c);
    bool c1_control = c >= 0x80 && c <= 0x9f;
    if (length == 0 || (length == 1 && is_unsafe_ascii(c)) || c1_control) {
      if (out.size() + 1 > max_bytes) break;
      out.push_back('_');
      i += length == 0 ? 1 : length;
      continue;
    }
    if (out.size() + length > max_bytes) break;  // never cut a character in half
    out.append(name.substr(i, length));
    i += length;
  }
  // A leading dot hides the file (or names "..", the parent); trailing dots
  // and spaces are dropped by Windows.
  size_t begin = out.find_first_not_of(". ");
  size_t end = out.find_last_not_of(". ");
  if (begin == std::string::npos) return "video";
  return out.substr(begin, end - begin + 1);
}

std::string content_disposition(std::string_view filename, bool attachment) {
  std::string name = sanitize_filename(filename);
  std::string ascii;
  bool non_ascii = false;
  for (size_t i = 0; i < name.size();) {
    uint32_t c = 0;
    size_t length = utf8_sequence_length(name, i, c);  // valid: sanitised above
    if (length > 1) non_ascii = true;
    ascii.push_back(length > 1 ? '_' : name[i]);
    i += length;
  }
  std::string value = std::string(attachment ? "attachment" : "inline") + "; filename=\"" + ascii + "\"";
  if (non_ascii) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    value += "; filename*=UTF-8''";
    for (unsigned char c : name) {
      if (is_attr_char(c)) {
        value.push_back(static_cast<char>(c));
      } else {
        value.push_back('%');
        value.push_back(k_hex[c >> 4]);
        value.push_back(k_hex[c & 0xf]);
      }
    }
  }
  return value;
}

Status set_download_name(RequestContext& ctx, std::string_view suffix, std::string_view extension) {
  auto download = QueryParams(ctx.req).choice("download", {"0", "1"}, "0");
  if (!download) return download.error();
  std::string name = sanitize_filename(file_stem(ctx.media().path), k_max_stem_bytes) + std::string(suffix);
  if (!extension.empty()) name += "." + std::string(extension);
  ctx.res.set_header("Content-Disposition", content_disposition(name, download.value() == "1"));
  return Status();
}

}  // namespace frameserve::http
