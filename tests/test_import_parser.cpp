#include <doctest/doctest.h>

#include "import/detection_parser.hpp"
#include "import/detection_validator.hpp"

using namespace frameserve;
using namespace frameserve::import;

TEST_CASE("jsonl lines") {
  SUBCASE("a complete line") {
    auto r = parse_jsonl_line(
        R"({"frame_number":38199,"trace_id":920,"bbox":{"x":122,"y":339,"width":176,"height":176},"confidence":0.832,"label":"face","identity_uuid":"C3545906-C82D-4B66-AA1D-150BC02DECCE","identity_name":"Audrey \"H\""})");
    REQUIRE(r);
    REQUIRE(r.value());
    const DetectionRecord& d = *r.value();
    CHECK(d.frame_number == 38199);
    CHECK(d.trace_id == 920);
    CHECK(d.x == 122);
    CHECK(d.height == 176);
    CHECK(d.confidence == doctest::Approx(0.832));
    CHECK(d.label == "face");
    CHECK(d.identity_uuid == "c3545906-c82d-4b66-aa1d-150bc02decce");
    CHECK(d.identity_name == "Audrey \"H\"");
  }
  SUBCASE("optional fields and fractional boxes") {
    auto r = parse_jsonl_line(R"({"frame_number":1,"trace_id":2,"bbox":{"x":1.6,"y":2.4,"width":10,"height":10.5},"confidence":1})");
    REQUIRE(r);
    REQUIRE(r.value());
    CHECK(r.value()->x == 2);
    CHECK(r.value()->y == 2);
    CHECK(r.value()->height == 11);
    CHECK_FALSE(r.value()->label);
  }
  SUBCASE("blank lines are skipped") {
    auto r = parse_jsonl_line("   ");
    REQUIRE(r);
    CHECK_FALSE(r.value());
  }
  SUBCASE("errors say what is wrong") {
    struct Case {
      const char* line;
      const char* says;
    };
    const Case cases[] = {
        {"{", "not valid JSON"},
        {"[1]", "expected a JSON object"},
        {R"({"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1})", "frame_number is missing"},
        {R"({"frame_number":-1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1})", "frame_number must be"},
        {R"({"frame_number":1.5,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1})", "frame_number must be"},
        {R"({"frame_number":1,"trace_id":"a","bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1})", "trace_id must be"},
        {R"({"frame_number":1,"trace_id":1,"bbox":[0,0,1,1],"confidence":1})", "bbox must be an object"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1},"confidence":1})", "bbox.height is missing"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1}})", "confidence is missing"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":"high"})", "confidence must be a number"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1,"identity_uuid":"nope"})", "is not a UUID"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1,"identity_name":"X"})", "identity_name needs identity_uuid"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1,"label":3})", "label must be a string"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.line);
      auto r = parse_jsonl_line(c.line);
      REQUIRE_FALSE(r);
      CHECK(r.error().message.find(c.says) != std::string::npos);
    }
  }
}

TEST_CASE("MOT lines are 1-based and converted") {
  auto r = parse_mot_line("1,7,10.4,20.6,30,40,0.9,-1,-1,-1");
  REQUIRE(r);
  REQUIRE(r.value());
  CHECK(r.value()->frame_number == 0);
  CHECK(r.value()->trace_id == 7);
  CHECK(r.value()->x == 10);
  CHECK(r.value()->y == 21);
  CHECK(r.value()->confidence == doctest::Approx(0.9));
  auto gt = parse_mot_line("3,1,0,0,5,5,-1,1,1,1");
  REQUIRE(gt);
  CHECK(gt.value()->confidence == 1.0);
  auto nine = parse_mot_line("3,1,0,0,5,5,1,1,0.8");  // MOT16/17/20 ground truth: class, visibility
  REQUIRE(nine);
  REQUIRE(nine.value());
  CHECK(nine.value()->frame_number == 2);
  CHECK_FALSE(parse_mot_line("0,1,0,0,5,5,1,-1,-1,-1"));  // frame 0 does not exist in MOT
  CHECK_FALSE(parse_mot_line("1,x,0,0,5,5,1,-1,-1,-1"));
  auto comment = parse_mot_line("# a comment");
  REQUIRE(comment);
  CHECK_FALSE(comment.value());
}

TEST_CASE("MOT lines need 9 or 10 numeric columns; errors name the column") {
  struct Case {
    const char* line;
    const char* says;
  };
  const Case cases[] = {
      {"1,1,0,0,5", "got 5 fields"},
      {"1,1,0,0,5,5,0.9", "got 7 fields"},
      {"1,1,0,0,5,5,0.9,-1", "got 8 fields"},
      {"1,1,0,0,5,5,0.9,-1,-1,-1,7", "got 11 fields"},
      {"1,1,0,0,5,5,0.9,-1,-1,-1,a,b,c,d,e,f,g,h,i,j", "got 20 fields"},
      {"a,b,c", "got 3 fields"},
      {"1,1,0,0,5,5,0.9,-1,-1,zz", "column 10 (z) \"zz\" is not a number"},
      {"1,1,0,0,5,5,0.9,a,b", "column 8 (x) \"a\" is not a number"},
      {"1,1,left,0,5,5,0.9,-1,-1,-1", "column 3 (bb_left) \"left\" is not a number"},
      {"1,1,0,0,5,5,,-1,-1,-1", "column 7 (conf)"},
      {"1e30,1,0,0,5,5,0.9,-1,-1,-1", "column 1 (frame)"},
      {"1,1,1e300,0,5,5,0.9,-1,-1,-1", "column 3 (bb_left)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.line);
    auto r = parse_mot_line(c.line);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::invalid_argument);
    CHECK(r.error().message.find(c.says) != std::string::npos);
  }
}

TEST_CASE("validator rules") {
  DetectionValidator v(VideoBounds{320, 240, 150}, "face");
  auto record = [](int64_t line, int64_t frame, int64_t trace, int64_t x, int64_t y, int64_t w, int64_t h) {
    DetectionRecord r;
    r.line = line;
    r.frame_number = frame;
    r.trace_id = trace;
    r.x = x;
    r.y = y;
    r.width = w;
    r.height = h;
    r.confidence = 0.5;
    return r;
  };
  CHECK(v.add(record(1, 0, 1, 0, 0, 320, 240)));
  auto past_frames = v.add(record(2, 150, 1, 0, 0, 10, 10));
  REQUIRE_FALSE(past_frames);
  CHECK(past_frames.error().message == "line 2: frame_number 150 is outside the video (valid: 0 to 149)");
  auto too_wide = v.add(record(3, 1, 1, 311, 0, 10, 10));
  REQUIRE_FALSE(too_wide);
  CHECK(too_wide.error().message.find("x + width must be <= 320") != std::string::npos);
  CHECK_FALSE(v.add(record(4, 1, 1, 0, 231, 10, 10)));
  CHECK_FALSE(v.add(record(5, 1, 1, -1, 0, 10, 10)));
  CHECK_FALSE(v.add(record(6, 1, 1, 0, 0, 0, 10)));
  DetectionRecord confident = record(7, 1, 1, 0, 0, 10, 10);
  confident.confidence = 1.5;
  CHECK_FALSE(v.add(confident));

  DetectionRecord labelled = record(8, 2, 1, 0, 0, 10, 10);
  labelled.label = "car";
  auto relabel = v.add(labelled);
  REQUIRE_FALSE(relabel);
  CHECK(relabel.error().message.find("line 1") != std::string::npos);

  CHECK(v.add(record(9, 0, 1, 0, 0, 10, 10)));  // same trace and frame as line 1
  auto duplicate = v.finish();
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().message == "line 9: trace 1 already has a detection on frame 0 (line 1)");
}

TEST_CASE("validator: identities keep one name and traces one identity") {
  DetectionValidator v(VideoBounds{100, 100, 10}, "face");
  DetectionRecord r;
  r.width = r.height = 10;
  r.confidence = 0.5;
  r.identity_uuid = "c3545906-c82d-4b66-aa1d-150bc02decce";
  r.identity_name = "A";
  r.line = 1;
  CHECK(v.add(r));
  r.frame_number = 1;
  r.line = 2;
  r.identity_name = "B";
  CHECK_FALSE(v.add(r));
  r.identity_name = std::nullopt;
  r.identity_uuid = "2b0ddefe-e2a9-4533-9308-b375594604d5";
  r.line = 3;
  CHECK_FALSE(v.add(r));
}
