// Writing whole buffers to a blocking pipe (a child's stdin), for feeders.
// Thread-safe (no state); the caller owns the descriptor.
#pragma once

#include <sys/uio.h>

#include <vector>

namespace frameserve::process {

// Writes all of `parts`, retrying short writes and EINTR. False when the
// reader has gone (EPIPE: SIGPIPE is ignored process-wide) or another write
// error occurred.
bool write_all(int fd, std::vector<iovec> parts);

}  // namespace frameserve::process
