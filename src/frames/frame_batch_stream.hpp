// FrameBatchStream: a planned frame batch (frames/frame_batch_plan) as a
// streamed POSIX tar in the WebDataset layout — for image i of the plan
// (the caller's order) NNNNNNNN.<png|jpg|rgb> and NNNNNNNN.json, NNNNNNNN
// being i in eight digits — written as the images are encoded.
//
// The plan's images are decoded in frame order (each GOP once; see
// media/frame_batch for segments and runs), one segment at a time, each a
// pipeline job of the JobRunner (decoder -> media::BatchFeeder -> encoder),
// so slot limits and deadlines apply as to every job. Images that arrive
// before their turn (a caller's descending or repeated order) wait in an
// unlinked temporary file, not in memory: the stream holds one image, one
// decoded frame and an index of offsets, whatever the batch size.
//
// A departed client (the sink refuses a write) ends the job at once.
// Thread-safety: one owner; pump() once.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "frames/frame_batch_plan.hpp"
#include "media/media_info.hpp"
#include "process/job_runner.hpp"
#include "process/media_stream.hpp"

namespace frameserve::frames {

class FrameBatchStream : public process::MediaStream {
 public:
  // Plans the segments and starts the first (so that a job that cannot
  // start is still a clean error). Errors: as JobRunner::start_pipeline.
  static Result<std::unique_ptr<FrameBatchStream>> start(const process::JobRunner& runner,
                                                         std::shared_ptr<const media::MediaFile> file,
                                                         FrameBatchPlan plan);
  ~FrameBatchStream() override;

  // Writes the whole tar. `on_frames` is told how many images are written.
  process::StreamOutcome pump(process::ByteSink& sink, const process::FrameProgress& on_frames) override;
  using MediaStream::pump;

  // The JSON member of image `position` (what the tar's .json holds).
  static std::string image_json(const media::MediaFile& file, const FrameBatchPlan& plan, size_t position);

 private:
  FrameBatchStream(const process::JobRunner& runner, std::shared_ptr<const media::MediaFile> file, FrameBatchPlan plan);
  Result<std::unique_ptr<process::MediaStream>> start_segment(size_t segment);
  // Image of `position` is ready: written now if it is its turn (and then
  // whatever waited after it), else kept in the spill file.
  bool deliver(size_t position, std::string&& image, process::ByteSink& sink);
  bool write_member(size_t position, const std::string& image, process::ByteSink& sink);

  const process::JobRunner& m_runner;
  std::shared_ptr<const media::MediaFile> m_file;
  FrameBatchPlan m_plan;
  std::vector<std::vector<size_t>> m_segments;  // positions, in frame order
  std::unique_ptr<process::MediaStream> m_current;
  size_t m_next = 0;  // the next position to write
  uint64_t m_bytes = 0;
  std::FILE* m_spill = nullptr;
  int64_t m_spill_end = 0;
  std::vector<std::pair<int64_t, int64_t>> m_spilled;  // position -> (offset, size); size -1: not there
  int64_t m_mtime = 0;
};

}  // namespace frameserve::frames
