// POSIX ustar archive pieces, for answers that stream many files as one tar
// (POST /api/v1/file/:file_uuid/frames, faces.tar): a 512-byte header per
// member, its bytes padded to a whole 512-byte block, and two zero blocks
// at the end. tar needs each member's size before its bytes, so a writer
// buffers one member at a time, never the archive.
//
// Pure functions, thread-safe. Names longer than ustar's 100 bytes are not
// supported (callers use short generated names such as 00000042.png).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace frameserve::tar {

// The 512-byte ustar header of a regular file `name` (at most 100 bytes,
// otherwise cut) of `size` bytes, mode 0644, modified at `mtime` (seconds).
std::string member_header(std::string_view name, uint64_t size, int64_t mtime);

// The zero bytes that pad a member of `size` bytes to a block boundary.
std::string member_padding(uint64_t size);

// Header, data and padding of one member, appended to `out`.
void append_member(std::string& out, std::string_view name, std::string_view data, int64_t mtime);

// The end of an archive: two zero blocks.
std::string end_of_archive();

inline constexpr size_t k_block = 512;

}  // namespace frameserve::tar
