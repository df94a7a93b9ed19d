// frameserve migrate — applies the embedded schema migrations.
#include <cstdio>

#include "cli/cli_context.hpp"
#include "db/migrations.hpp"

namespace frameserve::cli {

void add_migrate_command(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd = app.add_subcommand("migrate", "Create or update the database schema");
  cmd->callback([&ctx] {
    ctx.action = [&ctx] {
      auto app_context = ctx.app();
      if (!app_context) return report_error(app_context.error());
      auto applied = db::apply_migrations(app_context.value()->database());
      if (!applied) return report_error(applied.error());
      if (applied->empty()) std::printf("schema is up to date\n");
      for (const std::string& name : applied.value()) std::printf("applied %s\n", name.c_str());
      return 0;
    };
  });
}

}  // namespace frameserve::cli
