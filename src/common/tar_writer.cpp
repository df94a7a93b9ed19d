#include "common/tar_writer.hpp"

#include <algorithm>
#include <cstring>

namespace frameserve::tar {

namespace {
// An octal field of `width` bytes: width - 1 digits and a NUL.
void put_octal(char* field, size_t width, uint64_t value) {
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  field[width - 1] = '\0';
}
}  // namespace

std::string member_header(std::string_view name, uint64_t size, int64_t mtime) {
  char h[k_block];
  std::memset(h, 0, sizeof h);
  std::memcpy(h, name.data(), std::min<size_t>(name.size(), 100));
  put_octal(h + 100, 8, 0644);   // mode
  put_octal(h + 108, 8, 0);      // uid
  put_octal(h + 116, 8, 0);      // gid
  put_octal(h + 124, 12, size);  // size (up to 8 GiB)
  put_octal(h + 136, 12, static_cast<uint64_t>(std::max<int64_t>(0, mtime)));
  h[156] = '0';                      // regular file
  std::memcpy(h + 257, "ustar", 6);  // magic "ustar\0"
  std::memcpy(h + 263, "00", 2);     // version
  // The checksum is computed with its own field as eight spaces.
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  put_octal(h + 148, 7, sum);  // six digits and a NUL, then the space kept
  h[155] = ' ';
  return std::string(h, sizeof h);
}

std::string member_padding(uint64_t size) {
  size_t rest = static_cast<size_t>(size % k_block);
  return std::string(rest == 0 ? 0 : k_block - rest, '\0');
}

void append_member(std::string& out, std::string_view name, std::string_view data, int64_t mtime) {
  out += member_header(name, data.size(), mtime);
  out.append(data.data(), data.size());
  out += member_padding(data.size());
}

std::string end_of_archive() { return std::string(2 * k_block, '\0'); }

}  // namespace frameserve::tar
