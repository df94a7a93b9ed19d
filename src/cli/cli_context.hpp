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
void add_nginx_config_command(CLI::App& app, CliContext& ctx);

// Parses argv and runs the chosen command; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace frameserve::cli
