// Metrics: the process-wide catalogue of Prometheus metrics, on
// prometheus-cpp's core Registry, rendered in the text format 0.0.4 by its
// TextSerializer (GET /metrics serves that from our own HTTP route; the
// library's pull exposer is not used).
//
// It lives in common so that every layer (process, db, faces, http) can
// count what it sees without depending on the HTTP server. Adding a metric
// is one line in the catalogue below: a member built with counter(),
// gauge() or histogram(). Labels are bounded sets (route templates, job
// kinds, exit reasons), never raw paths or ids.
//
// Thread-safe: prometheus-cpp's metrics and families are.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace frameserve::metrics {

using CounterFamily = prometheus::Family<prometheus::Counter>;
using GaugeFamily = prometheus::Family<prometheus::Gauge>;
using HistogramFamily = prometheus::Family<prometheus::Histogram>;

// Bucket bounds in seconds, from a millisecond to ten minutes.
const prometheus::Histogram::BucketBoundaries& seconds_buckets();

class Catalogue {
 public:
  // Creates the series whose labels are known in advance, so that every
  // family is in the output (with zeros) from the first scrape on.
  Catalogue();

  // The registry comes first: every member below registers into it.
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

  // HTTP (labels: route = the router's template, e.g. /api/v1/file/:file_uuid/thumbnail).
  CounterFamily& http_requests =
      counter("frameserve_http_requests_total", "Requests answered, by route template and status");
  HistogramFamily& http_request_seconds =
      histogram("frameserve_http_request_duration_seconds",
                "Time from the request's head to the end of its response, by route template");
  HistogramFamily& stream_first_byte_seconds =
      histogram("frameserve_stream_time_to_first_byte_seconds",
                "Time from a streamed response's request to its first body byte, by route template");
  CounterFamily& http_bytes_sent = counter("frameserve_http_response_bytes_total", "Response body bytes sent");
  GaugeFamily& streams_open = gauge("frameserve_streams_open", "Streamed responses holding a worker now");

  // ffmpeg jobs (labels: kind = short | stream).
  GaugeFamily& jobs_running =
      gauge("frameserve_ffmpeg_jobs_running", "ffmpeg jobs holding a job slot now (parked streams excluded)");
  GaugeFamily& jobs_queued = gauge("frameserve_ffmpeg_jobs_queued", "Requests waiting for an ffmpeg job slot now");
  GaugeFamily& jobs_parked = gauge("frameserve_ffmpeg_jobs_parked", "Streams whose reader paused, their slot parked");
  CounterFamily& jobs_rejected =
      counter("frameserve_ffmpeg_jobs_rejected_total", "Jobs refused with 503: slots busy, queue full, or draining");
  CounterFamily& jobs_timed_out =
      counter("frameserve_ffmpeg_jobs_timed_out_total", "Jobs killed at their deadline (or at the drain deadline)");
  CounterFamily& jobs_client_aborted =
      counter("frameserve_ffmpeg_jobs_client_aborted_total", "Jobs killed because their client went away");
  CounterFamily& jobs_failed = counter("frameserve_ffmpeg_jobs_failed_total",
                                       "Jobs that failed, by exit reason (exit_code, signal, output_limit, no_output)");
  HistogramFamily& job_seconds =
      histogram("frameserve_ffmpeg_job_duration_seconds", "Wall time a job held its slot, by kind");

  // Database pool.
  GaugeFamily& db_pool_in_use = gauge("frameserve_db_pool_connections_in_use", "Database connections leased now");
  GaugeFamily& db_pool_waiting = gauge("frameserve_db_pool_waiting", "Threads waiting for a database connection now");

  // Memoized face selections (representative faces, co-occurrence faces).
  CounterFamily& face_memo_hits = counter("frameserve_face_memo_hits_total", "Face selections answered from the memo");
  CounterFamily& face_memo_misses =
      counter("frameserve_face_memo_misses_total", "Face selections computed with ffmpeg");

  // Rendered HLS segments kept on disk (hls::SegmentCache).
  CounterFamily& segment_cache_hits =
      counter("frameserve_segment_cache_hits_total",
              "HLS segments served without rendering: from the disk cache, or from another request's render of it");
  CounterFamily& segment_cache_misses =
      counter("frameserve_segment_cache_misses_total", "HLS segments rendered with ffmpeg");
  // Renders that could not be kept (labels: reason = too_large, larger than
  // --cache-max-bytes | write_failed, the cache directory or disk refused).
  CounterFamily& segment_cache_uncached =
      counter("frameserve_segment_cache_uncached_total",
              "Rendered HLS segments that could not be kept in the disk cache, by reason (too_large, write_failed)");
  GaugeFamily& segment_cache_bytes =
      gauge("frameserve_segment_cache_bytes", "Bytes of rendered HLS segments in the disk cache");

  // Draining (SIGTERM/SIGINT): 1 while the process drains.
  GaugeFamily& draining = gauge("frameserve_draining", "1 while the process drains before exiting");

  // The whole registry in the Prometheus text format 0.0.4. Never fails.
  std::string text() const;

 private:
  CounterFamily& counter(const std::string& name, const std::string& help);
  GaugeFamily& gauge(const std::string& name, const std::string& help);
  HistogramFamily& histogram(const std::string& name, const std::string& help);
};

// The process-wide catalogue.
Catalogue& get();

// The unlabelled series of a family (created on first use).
prometheus::Counter& unlabelled(CounterFamily& family);
prometheus::Gauge& unlabelled(GaugeFamily& family);

// Observes `seconds` in `family`'s series for `labels`, with seconds_buckets().
void observe(HistogramFamily& family, const prometheus::Labels& labels, double seconds);

}  // namespace frameserve::metrics
