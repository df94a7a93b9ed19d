#include "support/tar_reader.hpp"

#include <doctest/doctest.h>

#include "support/test_env.hpp"

namespace frameserve::testing {

namespace {
// Prints each member as "name\nsize\n" and its bytes; "ERROR ..." on failure.
const char* k_script =
    "import sys, tarfile\n"
    "out = sys.stdout.buffer\n"
    "with tarfile.open(fileobj=sys.stdin.buffer, mode='r|') as t:\n"
    "    for m in t:\n"
    "        if not m.isfile(): continue\n"
    "        data = t.extractfile(m).read()\n"
    "        out.write(m.name.encode() + b'\\n' + str(len(data)).encode() + b'\\n' + data)\n";
}  // namespace

std::vector<TarMember> read_tar(const std::string& archive) {
  CommandResult listed = run_command({"/usr/bin/python3", "-c", k_script}, archive);
  CHECK_MESSAGE(listed.exit_code == 0, "python3 tarfile refused the archive: " << listed.err);
  std::vector<TarMember> members;
  size_t at = 0;
  const std::string& out = listed.out;
  while (at < out.size()) {
    size_t name_end = out.find('\n', at);
    if (name_end == std::string::npos) break;
    size_t size_end = out.find('\n', name_end + 1);
    if (size_end == std::string::npos) break;
    TarMember m;
    m.name = out.substr(at, name_end - at);
    size_t size = std::stoul(out.substr(name_end + 1, size_end - name_end - 1));
    m.data = out.substr(size_end + 1, size);
    at = size_end + 1 + size;
    members.push_back(std::move(m));
  }
  return members;
}

}  // namespace frameserve::testing
