// The version frameserve reports (`frameserve --version`, GET /api/v1).
#pragma once

namespace frameserve::app {

inline constexpr const char* k_name = "frameserve";
inline constexpr const char* k_version = "1.0";

}  // namespace frameserve::app
