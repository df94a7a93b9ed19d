#include "frames/frame_batch_stream.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <numeric>

#include "common/json_writer.hpp"
#include "common/tar_writer.hpp"
#include "media/batch_feeder.hpp"
#include "media/frame_batch.hpp"
#include "media/image_splitter.hpp"

namespace frameserve::frames {

namespace {
std::string member_name(size_t position, const char* extension) {
  char name[32];
  std::snprintf(name, sizeof name, "%08zu.%s", position, extension);
  return name;
}

// Cuts the sorted positions into segments: a new one where the output size
// changes (no fixed size) or where the decoder would open more than
// k_max_runs_per_segment inputs.
std::vector<std::vector<size_t>> plan_segments(const media::MediaFile& file, const FrameBatchPlan& plan) {
  std::vector<size_t> order(plan.images.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return plan.images[a].item.frame < plan.images[b].item.frame; });
  std::vector<int64_t> unique;
  for (size_t p : order) {
    if (unique.empty() || unique.back() != plan.images[p].item.frame) unique.push_back(plan.images[p].item.frame);
  }
  std::vector<std::vector<int64_t>> runs = media::plan_decode_runs(file, unique);
  std::vector<int64_t> run_first;
  for (const auto& run : runs) run_first.push_back(run.front());

  std::vector<std::vector<size_t>> segments;
  size_t runs_in_segment = 0;
  std::pair<int64_t, int64_t> size{-1, -1};
  int64_t last_frame = -1;
  for (size_t p : order) {
    const media::BatchItem& item = plan.images[p].item;
    bool new_run = item.frame != last_frame && std::binary_search(run_first.begin(), run_first.end(), item.frame);
    auto item_size = media::batch_output_size(item, plan.output);
    bool cut = segments.empty() || item_size != size || (new_run && runs_in_segment >= media::k_max_runs_per_segment);
    if (cut) {
      segments.emplace_back();
      runs_in_segment = 0;
      size = item_size;
    }
    if (new_run || cut) ++runs_in_segment;
    segments.back().push_back(p);
    last_frame = item.frame;
  }
  return segments;
}

// The segment's stream of images, handed on one by one.
class SplittingSink : public process::ByteSink {
 public:
  SplittingSink(process::ByteSink& outer, media::BatchFormat format, size_t raw_size,
                std::function<bool(std::string&&)> on_image)
      : m_outer(outer), m_splitter(format, raw_size), m_on_image(std::move(on_image)) {}
  bool write(const char* data, size_t size) override {
    auto pushed = m_splitter.push(data, size, m_on_image);
    if (!pushed) {
      m_error = pushed.error().message;
      return false;
    }
    return pushed.value();
  }
  bool is_open() override { return m_outer.is_open(); }
  bool would_block() override { return m_outer.would_block(); }
  const std::string& error() const { return m_error; }
  size_t pending() const { return m_splitter.pending(); }

 private:
  process::ByteSink& m_outer;
  media::ImageSplitter m_splitter;
  std::function<bool(std::string&&)> m_on_image;
  std::string m_error;
};
}  // namespace

FrameBatchStream::FrameBatchStream(const process::JobRunner& runner, std::shared_ptr<const media::MediaFile> file,
                                   FrameBatchPlan plan)
    : m_runner(runner), m_file(std::move(file)), m_plan(std::move(plan)), m_mtime(std::time(nullptr)) {
  m_segments = plan_segments(*m_file, m_plan);
  m_spilled.assign(m_plan.images.size(), {0, -1});
}

FrameBatchStream::~FrameBatchStream() {
  m_current.reset();
  if (m_spill) std::fclose(m_spill);
}

Result<std::unique_ptr<FrameBatchStream>> FrameBatchStream::start(const process::JobRunner& runner,
                                                                  std::shared_ptr<const media::MediaFile> file,
                                                                  FrameBatchPlan plan) {
  std::unique_ptr<FrameBatchStream> stream(new FrameBatchStream(runner, std::move(file), std::move(plan)));
  if (!stream->m_segments.empty()) {
    auto first = stream->start_segment(0);
    if (!first) return first.error();
    stream->m_current = std::move(first.value());
  }
  return stream;
}

Result<std::unique_ptr<process::MediaStream>> FrameBatchStream::start_segment(size_t segment) {
  const std::vector<size_t>& positions = m_segments[segment];
  std::vector<media::FeedFrame> feed;
  std::vector<int64_t> frames;
  for (size_t p : positions) {
    const media::BatchItem& item = m_plan.images[p].item;
    if (feed.empty() || feed.back().frame != item.frame) {
      feed.push_back(media::FeedFrame{item.frame, {}});
      frames.push_back(item.frame);
    }
    feed.back().crops.push_back(item.crop);
  }
  auto runs = media::plan_decode_runs(*m_file, frames);
  bool deep_png = m_plan.output.format == media::BatchFormat::png;
  return m_runner.start_pipeline(media::build_batch_decode_command(*m_file, runs, deep_png),
                                 media::build_batch_encode_command(m_plan.output),
                                 std::make_unique<media::BatchFeeder>(std::move(feed)));
}

std::string FrameBatchStream::image_json(const media::MediaFile& file, const FrameBatchPlan& plan, size_t position) {
  const PlannedImage& image = plan.images[position];
  auto [w, h] = media::batch_output_size(image.item, plan.output);
  JsonWriter j;
  j.begin_object();
  j.field("frame_number", image.item.frame);
  j.field("timestamp_secs", file.timestamp_secs(image.item.frame));
  j.key("crop").begin_object();
  j.field("x", image.item.crop.x).field("y", image.item.crop.y);
  j.field("width", image.item.crop.width).field("height", image.item.crop.height);
  j.end_object();
  j.key("size").begin_array().integer(w).integer(h).end_array();
  j.field("format", batch_extension(plan.output.format));
  if (image.detection) {
    const DetectionInfo& d = *image.detection;
    j.field("trace_id", d.box.trace_id);
    if (d.identity_uuid.empty())
      j.key("identity_uuid").null();
    else
      j.field("identity_uuid", d.identity_uuid);
    if (d.name.empty())
      j.key("name").null();
    else
      j.field("name", d.name);
    j.key("bbox").begin_object();
    j.field("x", d.box.x).field("y", d.box.y).field("width", d.box.width).field("height", d.box.height);
    j.end_object();
    j.field("confidence", d.box.confidence);
  }
  j.end_object();
  return j.str();
}

bool FrameBatchStream::write_member(size_t position, const std::string& image, process::ByteSink& sink) {
  std::string head =
      tar::member_header(member_name(position, batch_extension(m_plan.output.format)), image.size(), m_mtime);
  std::string json = image_json(*m_file, m_plan, position);
  std::string rest = tar::member_padding(image.size());
  tar::append_member(rest, member_name(position, "json"), json, m_mtime);
  if (!sink.write(head.data(), head.size()) || !sink.write(image.data(), image.size()) ||
      !sink.write(rest.data(), rest.size())) {
    return false;
  }
  m_bytes += head.size() + image.size() + rest.size();
  return true;
}

bool FrameBatchStream::deliver(size_t position, std::string&& image, process::ByteSink& sink) {
  if (position != m_next) {
    if (!m_spill) m_spill = std::tmpfile();
    if (!m_spill || std::fseek(m_spill, m_spill_end, SEEK_SET) != 0 ||
        std::fwrite(image.data(), 1, image.size(), m_spill) != image.size()) {
      return false;
    }
    m_spilled[position] = {m_spill_end, static_cast<int64_t>(image.size())};
    m_spill_end += static_cast<int64_t>(image.size());
    return true;
  }
  if (!write_member(position, image, sink)) return false;
  ++m_next;
  while (m_next < m_spilled.size() && m_spilled[m_next].second >= 0) {
    auto [offset, size] = m_spilled[m_next];
    std::string waited(static_cast<size_t>(size), '\0');
    if (std::fflush(m_spill) != 0 || std::fseek(m_spill, offset, SEEK_SET) != 0 ||
        std::fread(waited.data(), 1, waited.size(), m_spill) != waited.size()) {
      return false;
    }
    m_spilled[m_next].second = -1;
    if (!write_member(m_next, waited, sink)) return false;
    ++m_next;
  }
  return true;
}

process::StreamOutcome FrameBatchStream::pump(process::ByteSink& sink, const process::FrameProgress& on_frames) {
  using End = process::StreamOutcome::End;
  process::StreamOutcome result;
  size_t written_images = 0;
  for (size_t s = 0; s < m_segments.size(); ++s) {
    if (!m_current) {
      auto started = start_segment(s);
      if (!started) {
        result.end = started.error().kind == ErrorKind::unavailable ? End::client_gone : End::failed;
        result.detail = started.error().message;
        result.exit_reason = "no_output";
        result.bytes = m_bytes;
        return result;
      }
      m_current = std::move(started.value());
    }
    const std::vector<size_t>& positions = m_segments[s];
    size_t index = 0;
    bool sink_failed = false;
    auto [w, h] = media::batch_output_size(m_plan.images[positions.front()].item, m_plan.output);
    SplittingSink splitter(sink, m_plan.output.format, static_cast<size_t>(w * h * 3), [&](std::string&& image) {
      if (index >= positions.size()) return false;
      if (!deliver(positions[index++], std::move(image), sink)) {
        sink_failed = true;
        return false;
      }
      ++written_images;
      if (on_frames) on_frames(static_cast<int64_t>(written_images));
      return true;
    });
    process::StreamOutcome outcome = m_current->pump(splitter);
    m_current.reset();
    if (!splitter.error().empty()) {
      outcome.end = End::failed;
      outcome.detail = splitter.error();
    } else if (sink_failed) {
      outcome.end = End::client_gone;
    } else if (outcome.completed() && (index != positions.size() || splitter.pending() != 0)) {
      outcome.end = End::failed;
      outcome.detail =
          "the encoder wrote " + std::to_string(index) + " of " + std::to_string(positions.size()) + " images";
      outcome.exit_reason = "no_output";
    }
    if (!outcome.completed()) {
      outcome.bytes = m_bytes;
      return outcome;
    }
  }
  std::string end = tar::end_of_archive();
  if (!sink.write(end.data(), end.size())) {
    result.end = End::client_gone;
  } else {
    m_bytes += end.size();
  }
  result.bytes = m_bytes;
  return result;
}

}  // namespace frameserve::frames
