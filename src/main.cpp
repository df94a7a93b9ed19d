// frameserve: only wiring lives here; see src/cli for the commands.
#include "cli/cli_context.hpp"

int main(int argc, char** argv) { return frameserve::cli::run_cli(argc, argv); }
