// Issue 24 §3: frame batches (POST .../frames) on the 10-minute 720p
// source, against the same frames fetched one by one (/thumbnail, two at a
// time: the machine's cores), bare ffmpeg decoding, and PyAV. Cold: frame
// batches keep no cache, so no frame comes from an earlier run.
#include <atomic>
#include <thread>

#include <httplib.h>

#include "bench/bench_sections.hpp"

namespace frameserve::bench {

void bench_frame_batches(const SectionContext& context) {
  say("== frame batches (POST .../frames) on the 10-minute 720p file, cold (frame batches keep no cache)");
  {
    const std::string path = "/api/v1/file/" + context.video_uuid + "/frames";
    auto post = [&](const std::string& body) {
      httplib::Client client("127.0.0.1", context.port);
      client.set_read_timeout(600, 0);
      auto start = Clock::now();
      auto res = client.Post(path.c_str(), {{"X-API-Key", g_key}}, body, "application/json");
      if (!res || res->status != 200) fail("POST frames failed: " + (res ? res->body : std::string("no answer")));
      return since(start);
    };
    auto list = [](const std::vector<int64_t>& frames) {
      std::string out;
      for (int64_t f : frames) out += (out.empty() ? "" : ",") + std::to_string(f);
      return "[" + out + "]";
    };
    // One-by-one thumbnails, two at a time (the machine's cores).
    auto thumbnails = [&](const std::vector<int64_t>& frames, const std::string& extra) {
      auto start = Clock::now();
      std::atomic<size_t> next{0};
      auto worker = [&] {
        for (size_t i; (i = next++) < frames.size();) {
          time_get(context.port, "/api/v1/file/" + context.video_uuid +
                                     "/thumbnail?format=png&frame=" + std::to_string(frames[i]) + extra);
        }
      };
      std::thread a(worker), b(worker);
      a.join();
      b.join();
      return since(start);
    };
    std::vector<int64_t> clustered, spread, consecutive;
    for (int c = 0; c < 10; ++c) {
      for (int i = 0; i < 10; ++i) clustered.push_back(700 + c * 1450 + i * 3);
    }
    for (int i = 0; i < 100; ++i) spread.push_back(75 + i * 149);
    for (int i = 0; i < 250; ++i) consecutive.push_back(5000 + i);

    double batch = post("{\"frames\":" + list(clustered) + "}");
    double one_by_one = thumbnails(clustered, "");
    record("100 frames in 10 clusters, PNG: batch vs 100 thumbnails", secs(batch), secs(one_by_one), one_by_one / batch,
           "faster", ">= 3x", one_by_one / batch >= 3);
    batch = post("{\"frames\":" + list(spread) + "}");
    one_by_one = thumbnails(spread, "");
    record("100 frames spread evenly, PNG: batch vs 100 thumbnails", secs(batch), secs(one_by_one), one_by_one / batch,
           "faster", ">= 1.3x", one_by_one / batch >= 1.3);

    const std::string crop = ",\"crop\":{\"x\":500,\"y\":200,\"w\":200,\"h\":200},\"size\":[112,112]";
    batch = post("{\"frames\":" + list(consecutive) + crop + "}");
    Timing bare = time_command({g_ffmpeg, "-nostdin", "-v", "error", "-ss", "200", "-i", context.video, "-frames:v",
                                "250", "-f", "null", "-"});
    record("250 consecutive 112x112 crops vs bare ffmpeg decoding them", secs(batch), secs(bare.total),
           batch / bare.total, "the time", "<= 1.3x", batch / bare.total <= 1.3);
    one_by_one = thumbnails(consecutive, "&x=500&y=200&w=200&h=200&width=112&height=112");
    record("250 consecutive 112x112 crops: batch vs 250 thumbnails", secs(batch), secs(one_by_one), one_by_one / batch,
           "faster", ">= 20x", one_by_one / batch >= 20);

    // PyAV doing what a user would write: seek to the keyframe before each
    // frame, decode to it, convert it to an RGB array.
    batch = post("{\"frames\":" + list(spread) + ",\"format\":\"raw\"}");
    const std::string script =
        "import av, sys\n"
        "c = av.open(sys.argv[1]); s = c.streams.video[0]\n"
        "rate = s.average_rate; tb = s.time_base\n"
        "for n in [75 + i * 149 for i in range(100)]:\n"
        "    pts = int(n / rate / tb)\n"
        "    c.seek(pts, stream=s, backward=True)\n"
        "    for f in c.decode(s):\n"
        "        if f.pts >= pts:\n"
        "            a = f.to_ndarray(format='rgb24'); break\n";
    Timing pyav = time_command({"/usr/bin/python3", "-c", script, context.video});
    record("100 spread frames as raw RGB: batch vs PyAV", secs(batch), secs(pyav.total), pyav.total / batch, "faster",
           ">= 1.2x", pyav.total / batch >= 1.2);
  }
}

}  // namespace frameserve::bench
