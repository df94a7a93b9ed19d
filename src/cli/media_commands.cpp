// frameserve thumbnail|clip|... — the CLI twins of the media endpoints.
#include "cli/cli_context.hpp"

namespace frameserve::cli {

void add_media_commands(CLI::App&, CliContext&) {}

}  // namespace frameserve::cli
