// Reading a tar archive in tests with a real tar reader: Python's tarfile
// (python3 is a test dependency), never our own parser. Thread-safe.
#pragma once

#include <string>
#include <vector>

namespace frameserve::testing {

struct TarMember {
  std::string name;
  std::string data;
};

// The regular-file members of `archive`, in archive order. An archive
// tarfile refuses fails the calling test (and returns what was read).
std::vector<TarMember> read_tar(const std::string& archive);

}  // namespace frameserve::testing
