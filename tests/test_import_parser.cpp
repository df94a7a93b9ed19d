#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/file_store.hpp"
#include "import/detection_importer.hpp"
#include "import/detection_parser.hpp"
#include "import/detection_validator.hpp"
#include "import/line_splitter.hpp"

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
    auto r = parse_jsonl_line(
        R"({"frame_number":1,"trace_id":2,"bbox":{"x":1.6,"y":2.4,"width":10,"height":10.5},"confidence":1})");
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
        {R"({"frame_number":-1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1})",
         "frame_number must be"},
        {R"({"frame_number":1.5,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1})",
         "frame_number must be"},
        {R"({"frame_number":1,"trace_id":"a","bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1})",
         "trace_id must be"},
        {R"({"frame_number":1,"trace_id":1,"bbox":[0,0,1,1],"confidence":1})", "bbox must be an object"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1},"confidence":1})", "bbox.height is missing"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1}})", "confidence is missing"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":"high"})",
         "confidence must be a number"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1,"identity_uuid":"nope"})",
         "is not a UUID"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1,"identity_name":"X"})",
         "identity_name needs identity_uuid"},
        {R"({"frame_number":1,"trace_id":1,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1,"label":3})",
         "label must be a string"},
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

TEST_CASE("jsonl lines: nesting beyond the bound is refused without recursion") {
  const std::string head =
      R"({"frame_number":1,"trace_id":2,"bbox":{"x":0,"y":0,"width":1,"height":1},"confidence":1,"extra":)";
  SUBCASE("200,000 levels (the report's line) are an error, not a stack overflow") {
    auto r = parse_jsonl_line(head + std::string(200000, '[') + std::string(200000, ']') + "}");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::invalid_argument);
    CHECK(r.error().message == "arrays and objects nested more than 64 levels deep; at most 64 are accepted");
  }
  SUBCASE("objects count as arrays do, and an unclosed nest too") {
    std::string objects = head;
    for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
    CHECK_FALSE(parse_jsonl_line(objects + "1" + std::string(100000, '}') + "}"));
    CHECK_FALSE(parse_jsonl_line(head + std::string(100000, '[')));
  }
  SUBCASE("up to the bound is fine: the line's own object and \"extra\" together") {
    // The line is level 1, so "extra" may hold 63 levels.
    auto fits = parse_jsonl_line(head + std::string(63, '[') + std::string(63, ']') + "}");
    CHECK(fits);
    auto over = parse_jsonl_line(head + std::string(64, '[') + std::string(64, ']') + "}");
    CHECK_FALSE(over);
  }
  SUBCASE("brackets inside strings are not nesting") {
    auto r = parse_jsonl_line(head + "\"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"}");
    REQUIRE(r);
    CHECK(r.value());
  }
}

TEST_CASE("line splitter: lines across chunks, a byte-order mark, and the length bound") {
  std::vector<std::pair<std::string, int64_t>> got;
  auto collect = [&](std::string_view line, int64_t number) -> Status {
    got.emplace_back(std::string(line), number);
    return Status();
  };
  SUBCASE("lines split anywhere, the last without a newline") {
    LineSplitter s;
    const std::string input = "ab\ncd\r\n\nef";
    for (char c : input) REQUIRE(s.feed(std::string_view(&c, 1), collect));
    REQUIRE(s.finish(collect));
    REQUIRE(got.size() == 4);
    CHECK(got[0].first == "ab");
    CHECK(got[1].first == "cd\r");
    CHECK(got[2].first == "");
    CHECK(got[3].first == "ef");
    CHECK(got[3].second == 4);
    CHECK(s.lines() == 4);
  }
  SUBCASE("a mark at the start is skipped, also split across chunks; elsewhere it stays") {
    LineSplitter s;
    REQUIRE(s.feed("\xEF", collect));
    REQUIRE(s.feed("\xBB", collect));
    REQUIRE(
        s.feed("\xBF"
               "1,2\n\xEF\xBB\xBF"
               "3\n",
               collect));
    REQUIRE(got.size() == 2);
    CHECK(got[0].first == "1,2");
    CHECK(got[1].first ==
          "\xEF\xBB\xBF"
          "3");
  }
  SUBCASE("a line past the bound is refused as soon as the bound is passed") {
    LineSplitter s(100);
    REQUIRE(s.feed("ok\n" + std::string(100, 'x'), collect));  // exactly the bound: not yet
    auto over = s.feed("y", collect);                          // one more byte, still no newline
    REQUIRE_FALSE(over);
    CHECK(over.error().kind == ErrorKind::invalid_argument);
    CHECK(over.error().message.rfind("line 2: longer than 100 bytes; a detection line is at most 100 bytes", 0) == 0);
    LineSplitter whole(100);
    CHECK(whole.feed(std::string(100, 'x') + "\n", collect));
    CHECK_FALSE(whole.feed(std::string(101, 'x') + "\n", collect));
  }
  SUBCASE("the handler's error stops the split") {
    LineSplitter s;
    auto refuse = [](std::string_view, int64_t number) -> Status {
      return invalid_argument("bad_detection", "no " + std::to_string(number));
    };
    auto r = s.feed("a\nb\n", refuse);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "no 1");
  }
}

TEST_CASE("import: a line beyond k_max_line_bytes is refused before its end arrives") {
  db::FileRow file;
  file.file_uuid = "0123456789abcdef0123456789abcdef";
  file.info.width = 320;
  file.info.height = 240;
  file.info.frame_count = 150;
  DetectionImport import(file, ImportOptions{});
  const std::string chunk(64 * 1024, ' ');
  CHECK(import.feed(chunk));  // 64 KiB of the first line: the bound itself
  auto over = import.feed("{");
  REQUIRE_FALSE(over);
  CHECK(over.error().message.rfind("line 1: longer than 65536 bytes", 0) == 0);
  CHECK_FALSE(import.feed("}\n"));  // the error stays
}

TEST_CASE("validator: labels and names must be storable text; MOT errors name the frame as written") {
  DetectionRecord r;
  r.width = r.height = 10;
  r.confidence = 0.5;
  r.line = 3;
  struct Case {
    std::optional<std::string> label;
    std::string default_label;
    std::optional<std::string> name;
    const char* says;
  };
  const Case cases[] = {
      {std::string("a\0b", 3), "face", std::nullopt,
       "line 3: label \"a\\x00b\" is not text we can store: it must be UTF-8 without NUL (U+0000)"},
      {std::string("\xff\xfe"), "face", std::nullopt, "line 3: label \"\\xff\\xfe\" is not text we can store"},
      {std::string("\xc3\x28"), "face", std::nullopt, "line 3: label \"\\xc3(\" is not text we can store"},
      {std::nullopt, std::string("\0", 1), std::nullopt,
       "line 3: label \"\\x00\" (the default label, from ?label= or --label, for lines without one) is not text"},
      {std::nullopt, "face", std::string("x\0", 2), "line 3: identity_name \"x\\x00\" is not text we can store"},
      {std::nullopt, "face", std::string("\xc3\x28"), "line 3: identity_name \"\\xc3(\" is not text we can store"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.says);
    DetectionValidator v(VideoBounds{100, 100, 10}, c.default_label);
    DetectionRecord d = r;
    d.label = c.label;
    if (c.name) {
      d.identity_uuid = "c3545906-c82d-4b66-aa1d-150bc02decce";
      d.identity_name = c.name;
    }
    auto added = v.add(d);
    REQUIRE_FALSE(added);
    CHECK(added.error().message.rfind(c.says, 0) == 0);
  }

  DetectionValidator mot(VideoBounds{100, 100, 150}, "face", 1);
  r.frame_number = 900;
  auto past = mot.add(r);
  REQUIRE_FALSE(past);
  CHECK(past.error().message ==
        "line 3: frame 901 (frame_number 900 zero-based) is outside the video (valid: frames 1 to 150)");
  DetectionValidator jsonl(VideoBounds{100, 100, 150}, "face");
  auto past_jsonl = jsonl.add(r);
  REQUIRE_FALSE(past_jsonl);
  CHECK(past_jsonl.error().message == "line 3: frame_number 900 is outside the video (valid: 0 to 149)");
}
