// The route table: every endpoint frameserve serves, in one list.
#pragma once

#include "http/router.hpp"

namespace frameserve::http {

void register_routes(Router& router);

}  // namespace frameserve::http
