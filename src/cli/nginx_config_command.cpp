// frameserve nginx-config — prints an nginx.conf that puts nginx in front of
// one or several frameserve instances (see app/nginx_config.hpp).
#include <cstdio>

#include "app/nginx_config.hpp"
#include "cli/cli_context.hpp"

namespace frameserve::cli {

void add_nginx_config_command(CLI::App& app, CliContext& ctx) {
  auto options = std::make_shared<app::NginxConfigOptions>();
  CLI::App* cmd = app.add_subcommand("nginx-config", "Print an nginx.conf for nginx in front of frameserve");
  cmd->add_option("--listen", options->listen, "HOST:PORT nginx listens on")->required();
  cmd->add_option("--upstream", options->upstreams, "HOST:PORT of a frameserve instance (repeatable)")
      ->required()
      ->take_all();
  cmd->add_option("--prefix", options->prefix,
                  "Directory for nginx's pid, logs and temp files (default: relative to nginx -p)");
  cmd->add_option("--media-root", options->media_roots,
                  "Directory nginx may send whole files from (repeatable; default: any path frameserve names)");
  whole_number_option(
      cmd->add_option("--stream-timeout", options->stream_timeout_secs, "frameserve's --stream-timeout, seconds"), 1,
      7 * 86400)
      ->capture_default_str();
  whole_number_option(
      cmd->add_option("--write-timeout", options->write_timeout_secs, "frameserve's --write-timeout, seconds"), 1,
      86400)
      ->capture_default_str();
  cmd->callback([&ctx, options] {
    ctx.action = [options] {
      auto text = app::render_nginx_config(*options);
      if (!text) return report_error(text.error());
      std::fwrite(text->data(), 1, text->size(), stdout);
      return 0;
    };
  });
}

}  // namespace frameserve::cli
