// Importing detections for a registered file: parse every line, validate it
// against the video, then store everything in one transaction with COPY.
// A single bad line imports nothing.
//
// The input arrives either as a stream (the CLI: a file or stdin) or in
// chunks pushed by the caller (HTTP: cpp-httplib's ContentReader), so a
// request body is never held in memory: only the validated detections are
// (48 bytes each). Both go through DetectionImport; the CLI's `import` and
// PUT/POST /api/v1/file/:file_uuid/detections share it.
#pragma once

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "db/database.hpp"
#include "db/file_store.hpp"
#include "import/detection_parser.hpp"
#include "import/line_splitter.hpp"

namespace frameserve::import {

struct ImportOptions {
  ImportFormat format = ImportFormat::jsonl;
  // Replace every trace and detection the file already has. Without it,
  // importing a trace_id the file already has is an error.
  bool replace = false;
  std::string default_label = "face";
  // MOT CSV only: 1 (MOTChallenge, the default) or 0 for zero-based frames.
  int frame_base = 1;
  // The files the caller may write, for renaming identities (which are
  // shared by every file): an import that renames an identity appearing in
  // a file outside these is refused as a whole (403). nullopt: every file
  // (the CLI, and credentials for all files).
  std::optional<std::vector<std::string>> writable_files;
  // Called now and then with the stage ("parse": lines read, total
  // unknown, 0; "store": detections copied of all), for the CLI's progress.
  std::function<void(const char* stage, const char* unit, int64_t done, int64_t total)> progress;
};

struct ImportSummary {
  int64_t detections = 0;
  int64_t traces = 0;
  int64_t identities = 0;
  int64_t detections_revision = 0;
};

class DetectionValidator;

// One import in progress. Not thread-safe; one per import.
class DetectionImport {
 public:
  DetectionImport(const db::FileRow& file, ImportOptions options);
  ~DetectionImport();
  DetectionImport(const DetectionImport&) = delete;
  DetectionImport& operator=(const DetectionImport&) = delete;

  // Takes the next bytes of the input; a line may span chunks. Errors:
  // `invalid_argument` naming the first bad line, or a line longer than
  // k_max_line_bytes as soon as that many bytes of it arrived (later calls
  // repeat the error).
  Status feed(std::string_view chunk);
  // Ends the input and stores everything in one transaction. Errors as
  // import_detections().
  Result<ImportSummary> finish(db::Database& database);
  // Lines seen so far.
  int64_t lines() const { return m_splitter.lines(); }

 private:
  Status take_line(std::string_view line, int64_t number);

  db::FileRow m_file;
  ImportOptions m_options;
  std::unique_ptr<DetectionValidator> m_validator;
  LineSplitter m_splitter;
  std::optional<Error> m_failed;
};

// Errors: `invalid_argument` (a bad line, with its number), `conflict`
// (db::k_traces_exist: traces already present without `replace`; the
// message names the file and trace, the caller says how to replace), `forbidden` (renaming an
// identity outside ImportOptions::writable_files), `not_found` (file),
// `unavailable` (database).
Result<ImportSummary> import_detections(db::Database& database, const db::FileRow& file, std::istream& input,
                                        const ImportOptions& options);

}  // namespace frameserve::import
