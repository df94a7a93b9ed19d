#include "cli/cli_context.hpp"

#include <signal.h>

#include <cstdio>
#include <iostream>

#include "app/server_options.hpp"
#include "app/version.hpp"
#include "common/log.hpp"
#include "common/text.hpp"

namespace frameserve::cli {

Result<app::AppContext*> CliContext::app() {
  if (!m_app) {
    auto created = app::AppContext::create(app::one_shot_options(db, jwt_secret));
    if (!created) return created.error();
    m_app = std::move(created.value());
  }
  return m_app.get();
}

namespace {
// "4", "0.5", "1099511627776": the shortest form that reads back the same.
std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  return buffer;
}

// The validator of a numeric option: `problem` says what is wrong with a
// value ("" when it is fine); the message adds where values come from.
CLI::Option* check_number(CLI::Option* option, const std::string& range,
                          std::function<std::string(const std::string&)> problem) {
  std::string source = option->get_envname().empty() ? "" : " (set by the option or by " + option->get_envname() + ")";
  option->check(CLI::Validator(
      [problem = std::move(problem), source](std::string& value) {
        std::string wrong = problem(value);
        return wrong.empty() ? wrong : wrong + " (got " + quote_for_message(value) + ")" + source;
      },
      "in [" + range + "]"));
  return option;
}
}  // namespace

CLI::Option* whole_number_option(CLI::Option* option, int64_t min, int64_t max) {
  std::string valid =
      "must be a whole number in decimal between " + std::to_string(min) + " and " + std::to_string(max);
  return check_number(option, std::to_string(min) + " - " + std::to_string(max),
                      [min, max, valid](const std::string& value) {
                        auto number = parse_int64(value);
                        return number && *number >= min && *number <= max ? std::string() : valid;
                      });
}

CLI::Option* decimal_number_option(CLI::Option* option, double min, double max) {
  std::string valid = "must be a decimal number between " + number_text(min) + " and " + number_text(max);
  return check_number(option, number_text(min) + " - " + number_text(max), [min, max, valid](const std::string& value) {
    auto number = parse_double(value);
    return number && *number >= min && *number <= max ? std::string() : valid;
  });
}

int report_error(const Error& error) {
  std::fprintf(stderr, "frameserve: %s\n", error.message.c_str());
  return exit_code_for(error.kind);
}

int run_cli(int argc, char** argv) {
  // Writing to a closed pipe (frameserve clip ... -o - | head) must be an
  // error we see, not a signal that kills us.
  ::signal(SIGPIPE, SIG_IGN);

  CliContext ctx;
  CLI::App app{"frameserve — frame-exact video extraction and streaming for face-analytics results"};
  app.set_version_flag("--version", std::string(app::k_name) + " " + app::k_version);
  app.require_subcommand(1);
  // Global options (--db, --log-level) may also follow the subcommand.
  app.fallthrough();
  app.add_option("--db", ctx.db, "PostgreSQL conninfo or URI (default: the embedded cluster of `make run`)")
      ->envname("FRAMESERVE_DB");
  app.add_option("--log-level", ctx.log_level, "debug, info, warn, error or off")->envname("FRAMESERVE_LOG_LEVEL");

  add_serve_command(app, ctx);
  add_migrate_command(app, ctx);
  add_file_commands(app, ctx);
  add_import_command(app, ctx);
  add_key_commands(app, ctx);
  add_token_command(app, ctx);
  add_media_commands(app, ctx);
  add_hls_command(app, ctx);
  add_storyboard_command(app, ctx);
  add_face_commands(app, ctx);
  add_frames_command(app, ctx);
  add_nginx_config_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2, as documented.
    return app.exit(e) == 0 ? 0 : 2;
  }
  log::Level level;
  if (!log::parse_level(ctx.log_level, level)) {
    return report_error(invalid_argument("bad_log_level", "--log-level must be debug, info, warn, error or off"));
  }
  log::set_level(level);
  if (!ctx.action) return 0;
  try {
    return ctx.action();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "frameserve: unexpected error: %s\n", e.what());
    return 1;
  }
}

}  // namespace frameserve::cli
