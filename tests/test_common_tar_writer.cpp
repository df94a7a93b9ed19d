// The ustar pieces (common/tar_writer): what they write is read back by
// real tar readers — Python's tarfile and GNU tar.
#include "common/tar_writer.hpp"

#include <doctest/doctest.h>

#include "support/tar_reader.hpp"
#include "support/test_env.hpp"

using namespace frameserve;
using namespace frameserve::testing;

TEST_CASE("tar members and the end of the archive read back with tarfile and tar") {
  std::string archive;
  std::string binary(1000, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7);
  tar::append_member(archive, "00000000.png", binary, 1700000000);
  tar::append_member(archive, "00000000.json", "{\"frame_number\":3}", 1700000000);
  tar::append_member(archive, "empty", "", 0);
  tar::append_member(archive, "exactly512", std::string(512, 'x'), 0);
  archive += tar::end_of_archive();
  CHECK(archive.size() % 512 == 0);
  CHECK(tar::member_header("a", 1, 0).size() == 512);
  CHECK(tar::member_padding(512).empty());
  CHECK(tar::member_padding(1).size() == 511);

  std::vector<TarMember> members = read_tar(archive);
  REQUIRE(members.size() == 4);
  CHECK(members[0].name == "00000000.png");
  CHECK(members[0].data == binary);
  CHECK(members[1].data == "{\"frame_number\":3}");
  CHECK(members[2].data.empty());
  CHECK(members[3].data == std::string(512, 'x'));

  CommandResult listed = run_command({"/usr/bin/tar", "-tvf", "-"}, archive);
  CHECK(listed.exit_code == 0);
  CHECK(listed.err.empty());
  CHECK(listed.out.find("00000000.json") != std::string::npos);
  CHECK(listed.out.find("1000") != std::string::npos);
}
