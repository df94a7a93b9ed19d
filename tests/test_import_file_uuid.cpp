// import::new_file_uuid: version-7 UUIDs, so that files registered later
// sort later (their detections append at the right end of every index).
#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

#include "common/text.hpp"
#include "import/file_registration.hpp"
#include "support/wait_until.hpp"

using namespace frameserve;

TEST_CASE("new file uuids are version 7, unique, and sort in registration order") {
  std::string first = import::new_file_uuid();
  REQUIRE(is_file_uuid(first));
  CHECK(first[12] == '7');                                          // version
  CHECK(std::string("89ab").find(first[16]) != std::string::npos);  // RFC 9562 variant

  // The leading 48 bits are the time in milliseconds.
  auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  long long stamped = std::stoll(first.substr(0, 12), nullptr, 16);
  CHECK(stamped <= now_ms);
  CHECK(stamped >= now_ms - 5000);

  // The next one is made in a later millisecond.
  frameserve::testing::wait_until(
      [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count() > stamped;
      },
      frameserve::testing::k_patience, std::chrono::milliseconds(1));
  std::string later = import::new_file_uuid();
  REQUIRE(is_file_uuid(later));
  CHECK(first < later);

  std::set<std::string> many;
  for (int i = 0; i < 1000; ++i) many.insert(import::new_file_uuid());
  CHECK(many.size() == 1000);
}
