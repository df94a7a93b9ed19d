// Importing detections for a registered file: parse every line, validate it
// against the video, then store everything in one transaction with COPY.
// A single bad line imports nothing.
#pragma once

#include <functional>
#include <istream>
#include <string>

#include "common/result.hpp"
#include "db/database.hpp"
#include "db/file_store.hpp"
#include "import/detection_parser.hpp"

namespace frameserve::import {

struct ImportOptions {
  ImportFormat format = ImportFormat::jsonl;
  // Replace every trace and detection the file already has. Without it,
  // importing a trace_id the file already has is an error.
  bool replace = false;
  std::string default_label = "face";
  // Called now and then with a one-line status ("parsed 120000 lines");
  // the CLI shows it on a terminal.
  std::function<void(const std::string&)> progress;
};

struct ImportSummary {
  int64_t detections = 0;
  int64_t traces = 0;
  int64_t identities = 0;
  int64_t detections_revision = 0;
};

// Errors: `invalid_argument` (a bad line, with its number), `conflict`
// (traces already present without --replace), `not_found` (file),
// `unavailable` (database).
Result<ImportSummary> import_detections(db::Database& database, const db::FileRow& file, std::istream& input,
                                        const ImportOptions& options);

}  // namespace frameserve::import
