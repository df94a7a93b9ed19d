// The JSON bodies of the face endpoints, shared with their CLI twins so both
// print exactly the same document. Field names and types follow the API
// specification; extra fields (identity, urls, candidates) are additions.
#pragma once

#include <string>

#include "faces/face_service.hpp"

namespace frameserve::faces {

std::string representative_face_json(const std::string& file_uuid, const RepresentativeFace& face);
std::string cooccurrence_json(const std::string& file_uuid, const Cooccurrence& cooccurrence);

// /api/v1/file/UUID/trace/T/thumbnail
std::string trace_thumbnail_url(const std::string& file_uuid, int64_t trace_id);
// /api/v1/file/:file_uuid/trace/:trace_id/representative-face
std::string representative_face_url(const std::string& file_uuid, int64_t trace_id);
// /api/v1/file/UUID/thumbnail?frame=F&x=X&y=Y&w=W&h=H — that exact face.
std::string face_crop_url(const std::string& file_uuid, const FaceCandidate& face);

}  // namespace frameserve::faces
