// CliContext: what every subcommand shares — the global options, the
// deferred action chosen by parsing, and a lazily built AppContext.
//
// Subcommands are registered by add_*_commands() functions (one file per
// group); each sets `action` in its callback, and main runs it after
// parsing, so parse errors and run errors are reported in one place.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "app/app_context.hpp"
#include "common/result.hpp"

namespace frameserve::cli {

struct CliContext {
  std::string db;          // --db / FRAMESERVE_DB; empty: the embedded cluster
  std::string jwt_secret;  // --jwt-secret / FRAMESERVE_JWT_SECRET
  std::string log_level = "warn";
  std::function<int()> action;

  // The services for one-shot commands: no job cap, default timeouts.
  Result<app::AppContext*> app();

 private:
  std::unique_ptr<app::AppContext> m_app;
};

// Prints "frameserve: <message>" to stderr and returns the exit code for
// the error's kind (documented in the README).
int report_error(const Error& error);

// Numeric options as strict as query parameters, with the same parsers
// (common/text): decimal digits only (no "0x3", no "1e3" for a whole
// number), finite (no "nan" or "inf"), within [min, max]. CLI11's own Range
// let "nan" through (every comparison with it is false) and its conversion
// reads "0x3" as hexadecimal. A bad value is a usage error (exit code 2)
// naming the option, its FRAMESERVE_* variable if it has one (set that
// first) and the valid range. Return `option`.
CLI::Option* whole_number_option(CLI::Option* option, int64_t min, int64_t max);
CLI::Option* decimal_number_option(CLI::Option* option, double min, double max);

// Registration functions, one per command group.
void add_serve_command(CLI::App& app, CliContext& ctx);
void add_migrate_command(CLI::App& app, CliContext& ctx);
void add_file_commands(CLI::App& app, CliContext& ctx);
void add_import_command(CLI::App& app, CliContext& ctx);
void add_key_commands(CLI::App& app, CliContext& ctx);
void add_token_command(CLI::App& app, CliContext& ctx);
void add_media_commands(CLI::App& app, CliContext& ctx);
void add_hls_command(CLI::App& app, CliContext& ctx);
void add_storyboard_command(CLI::App& app, CliContext& ctx);
void add_face_commands(CLI::App& app, CliContext& ctx);
void add_frames_command(CLI::App& app, CliContext& ctx);
void add_nginx_config_command(CLI::App& app, CliContext& ctx);

// Parses argv and runs the chosen command; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace frameserve::cli
