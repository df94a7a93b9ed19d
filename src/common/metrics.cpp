#include "common/metrics.hpp"

#include <prometheus/text_serializer.h>

#include <sstream>

namespace frameserve::metrics {

const prometheus::Histogram::BucketBoundaries& seconds_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                               1,     2.5,   5,    10,    30,   60,  300,  600};
  return buckets;
}

Catalogue::Catalogue() {
  for (CounterFamily* family :
       {&http_bytes_sent, &face_memo_hits, &face_memo_misses, &segment_cache_hits, &segment_cache_misses})
    family->Add({});
  for (GaugeFamily* family : {&streams_open, &jobs_queued, &jobs_parked, &db_pool_in_use, &db_pool_waiting, &draining,
                              &segment_cache_bytes}) {
    family->Add({});
  }
  for (const char* reason : {"too_large", "write_failed"}) segment_cache_uncached.Add({{"reason", reason}});
  for (const char* kind : {"short", "stream"}) {
    jobs_running.Add({{"kind", kind}});
    for (CounterFamily* family : {&jobs_rejected, &jobs_timed_out, &jobs_client_aborted}) family->Add({{"kind", kind}});
    for (const char* reason : {"exit_code", "signal"}) jobs_failed.Add({{"kind", kind}, {"reason", reason}});
    job_seconds.Add({{"kind", kind}}, seconds_buckets());
  }
}

CounterFamily& Catalogue::counter(const std::string& name, const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(*registry);
}

GaugeFamily& Catalogue::gauge(const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(*registry);
}

HistogramFamily& Catalogue::histogram(const std::string& name, const std::string& help) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(*registry);
}

std::string Catalogue::text() const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry->Collect());
  return out.str();
}

Catalogue& get() {
  // Never destroyed: threads still counting during exit must not find it gone.
  static Catalogue* catalogue = new Catalogue();
  return *catalogue;
}

prometheus::Counter& unlabelled(CounterFamily& family) { return family.Add({}); }
prometheus::Gauge& unlabelled(GaugeFamily& family) { return family.Add({}); }

void observe(HistogramFamily& family, const prometheus::Labels& labels, double seconds) {
  family.Add(labels, seconds_buckets()).Observe(seconds);
}

}  // namespace frameserve::metrics
