// db/copy_binary.hpp: PostgreSQL's binary COPY format as the detection
// import writes it, checked byte by byte and read back by a real server
// (the server, not our own reading, says whether the bytes mean the values).
// Also migration 007's trigger: deleting traces deletes exactly their
// detections, whether all of a file's traces go or some.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "app/app_context.hpp"
#include "db/copy_binary.hpp"
#include "db/database.hpp"
#include "support/test_env.hpp"

using namespace frameserve;
using namespace frameserve::testing;
namespace cb = frameserve::db::copy_binary;

TEST_CASE("copy_binary writes PostgreSQL's signature, big-endian fields and NULLs") {
  std::string out;
  cb::append_header(out);
  REQUIRE(out.size() == 19);
  CHECK(out.substr(0, 11) == std::string("PGCOPY\n\xff\r\n\0", 11));
  CHECK(out.substr(11) == std::string(8, '\0'));

  out.clear();
  cb::append_int4(out, -2);
  CHECK(out == std::string("\0\0\0\4\xff\xff\xff\xfe", 8));
  out.clear();
  cb::append_int8(out, 258);
  CHECK(out == std::string("\0\0\0\x08\0\0\0\0\0\0\x01\x02", 12));
  out.clear();
  cb::append_null(out);
  cb::append_trailer(out);
  CHECK(out == "\xff\xff\xff\xff\xff\xff");
}

TEST_CASE("uuid_bytes takes a uuid with or without dashes, in either case, and nothing else") {
  std::string expected("\x0b\x0b\x0b\x0b\x11\x11\x42\x22\x83\x33\x44\x44\x44\x44\x44\x44", 16);
  CHECK(cb::uuid_bytes("0b0b0b0b-1111-4222-8333-444444444444") == expected);
  CHECK(cb::uuid_bytes("0B0B0B0B111142228333444444444444") == expected);
  CHECK(cb::uuid_bytes("") == "");
  CHECK(cb::uuid_bytes("0b0b0b0b-1111-4222-8333-44444444444") == "");    // 31 digits
  CHECK(cb::uuid_bytes("0b0b0b0b-1111-4222-8333-4444444444444") == "");  // 33 digits
  CHECK(cb::uuid_bytes("0g0b0b0b-1111-4222-8333-444444444444") == "");
}

TEST_CASE("rows written by copy_binary read back from PostgreSQL as the values written") {
  db::Database& database = shared_app().database();
  std::string read_back;
  Status done = database.transaction([&](db::Session& s) -> Status {
    auto created = s.exec(
        "CREATE TEMP TABLE copy_probe (u uuid, big bigint, small integer, real_value double precision, maybe uuid)"
        " ON COMMIT DROP");
    if (!created) return created.error();
    Status copied = s.copy_in("COPY copy_probe FROM STDIN WITH (FORMAT binary)", [&](std::string& out) -> Result<bool> {
      cb::append_header(out);
      cb::append_row_start(out, 5);
      cb::append_uuid_bytes(out, cb::uuid_bytes("6522c2813e7765a14498cde753859a11"));
      cb::append_int8(out, std::numeric_limits<int64_t>::min());
      cb::append_int4(out, std::numeric_limits<int32_t>::max());
      cb::append_float8(out, 0.1);
      cb::append_uuid_bytes(out, "");
      cb::append_row_start(out, 5);
      cb::append_uuid_bytes(out, cb::uuid_bytes("AAAAAAAA-0000-4000-8000-00000000000A"));
      cb::append_int8(out, std::numeric_limits<int64_t>::max());
      cb::append_int4(out, -1);
      cb::append_float8(out, -2.5e-300);
      cb::append_uuid_bytes(out, cb::uuid_bytes("bbbbbbbb-0000-4000-8000-00000000000b"));
      cb::append_trailer(out);
      return false;
    });
    if (!copied) return copied.error();
    auto rows = s.exec(
        "SELECT string_agg(concat_ws('|', u, big, small, (real_value = 0.1)::text, (real_value = -2.5e-300)::text,"
        " coalesce(maybe::text, 'null')), ';' ORDER BY big) FROM copy_probe");
    if (!rows) return rows.error();
    read_back = rows->string(0, 0);
    return Status();
  });
  REQUIRE_MESSAGE(done.ok(), done.error().message);
  CHECK(read_back ==
        "6522c281-3e77-65a1-4498-cde753859a11|-9223372036854775808|2147483647|true|false|null;"
        "aaaaaaaa-0000-4000-8000-00000000000a|9223372036854775807|-1|false|true|bbbbbbbb-0000-4000-8000-00000000000b");
}

TEST_CASE("deleting traces deletes exactly their detections (migration 007's trigger)") {
  db::Database& database = shared_app().database();
  // Two files with traces 1-3 each, rows on frames 0-9 per trace, in this
  // test process's own migrated database (support/test_env).
  const std::string a = "cc00000000000000000000000000000a";
  const std::string b = "cc00000000000000000000000000000b";
  REQUIRE(a.size() == 32);
  auto run = [&](const std::string& sql) {
    auto r = database.query(sql.c_str(), {});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  };
  auto count = [&](const std::string& file) {
    auto r = database.query("SELECT count(*) FROM detections WHERE file_uuid = $1::uuid", {file});
    REQUIRE(r);
    return r->int64(0, 0);
  };
  for (const std::string& file : {a, b}) {
    run("DELETE FROM files WHERE file_uuid = '" + file + "'");
    run("INSERT INTO files (file_uuid, path, container, video_codec, width, height, fps_num, fps_den,"
        " time_base_num, time_base_den, frame_count, duration_secs, start_time_us, has_audio, size_bytes, mtime_ns)"
        " VALUES ('" +
        file + "', '/m/" + file + ".mp4', 'mp4', 'h264', 64, 64, 25, 1, 1, 12800, 100, 4, 0, false, 1, 0)");
    run("INSERT INTO traces (file_uuid, trace_id) SELECT '" + file + "', t FROM generate_series(1, 3) t");
    run("INSERT INTO detections (file_uuid, trace_id, frame_number, x, y, width, height, confidence)"
        " SELECT '" +
        file + "', t, f, 0, 0, 8, 8, 0.5 FROM generate_series(1, 3) t, generate_series(0, 9) f");
  }
  REQUIRE(count(a) == 30);

  // Some traces of a file: theirs go, the file's others and the other file's stay.
  run("DELETE FROM traces WHERE file_uuid = '" + a + "' AND trace_id IN (1, 3)");
  CHECK(count(a) == 10);
  auto left = database.query("SELECT DISTINCT trace_id FROM detections WHERE file_uuid = $1::uuid", {a});
  REQUIRE(left);
  REQUIRE(left->rows() == 1);
  CHECK(left->int64(0, 0) == 2);
  CHECK(count(b) == 30);

  // Every trace of a file (a replacing import), then a file's deletion.
  run("DELETE FROM traces WHERE file_uuid = '" + a + "'");
  CHECK(count(a) == 0);
  CHECK(count(b) == 30);
  run("DELETE FROM files WHERE file_uuid = '" + b + "'");
  CHECK(count(b) == 0);
  run("DELETE FROM files WHERE file_uuid = '" + a + "'");
}
