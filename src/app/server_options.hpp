// The one translation of `frameserve serve`'s settings (ServerConfig, named
// as its flags and FRAMESERVE_* variables are) into the options of the
// services (AppOptions), and the options of a one-shot CLI command.
//
// `serve` and the test server (tests/support/test_server) both go through
// app_options_for, so a test exercises the production wiring. Pure
// functions of their arguments (and the machine's core count): thread-safe.
#pragma once

#include <string>

#include "app/app_context.hpp"
#include "app/config.hpp"

namespace frameserve::app {

// `config` with the defaults that depend on the machine filled in: max_jobs
// 0 becomes the number of cores, threads below 4 become 4, max_queue 0
// becomes 4 per job slot. Never fails.
ServerConfig with_machine_defaults(ServerConfig config);

// The services' options for a server run with `config` (machine defaults
// filled in first). Never fails: ranges are checked when flags are parsed.
AppOptions app_options_for(const ServerConfig& config);

// The options of a one-shot command (and of tests that use the services
// without a server): no job cap (the command is its only client), a small
// pool, ten minutes for a short job, children at normal priority. Never fails.
AppOptions one_shot_options(const std::string& db_conninfo, const std::string& jwt_secret);

}  // namespace frameserve::app
