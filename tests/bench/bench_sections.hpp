// The sections of `make bench` that live in files of their own, in the
// order main runs them (after its own sections, before the summary). A new
// section: a bench_<area>.cpp defining a function declared here, and one
// line in k_sections. Each records its rows through bench::record.
#pragma once

#include "bench/bench_support.hpp"

namespace frameserve::bench {

// The archive kinds a decode pass numbers (XviD AVI with B-frames, DVD
// VOB, raw H.264), each made once from the 10-minute 720p source:
// registration time against the file's duration, a late frame against an
// early one and against a bare `ffmpeg -ss` at the same keyframe.
void bench_archive_kinds(const SectionContext& context);

struct Section {
  const char* name;
  void (*run)(const SectionContext& context);
};

inline constexpr Section k_sections[] = {
    {"archive kinds", bench_archive_kinds},
};

}  // namespace frameserve::bench
