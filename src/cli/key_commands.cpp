// frameserve key create|list|revoke and frameserve token create.
#include <cstdio>
#include <ctime>

#include "cli/cli_context.hpp"
#include "common/file_uuid.hpp"
#include "common/text.hpp"

namespace frameserve::cli {

namespace {

struct KeyArgs {
  std::vector<std::string> files;
  bool all = false;
  bool write = false;
  std::string name;
};

int create_key(CliContext& ctx, const KeyArgs& args) {
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto key = app.value()->keys().create(args.name, args.all, args.files, args.write);
  if (!key) return report_error(key.error());
  std::printf("%s\n", key->token().c_str());
  std::fprintf(stderr, "created %s key %s for %s; store it now, it cannot be shown again\n",
               args.write ? "read-write" : "read-only", key->parts.key_id.c_str(),
               args.all ? "every file" : (std::to_string(args.files.size()) + " file(s)").c_str());
  return 0;
}

int list_keys(CliContext& ctx) {
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  auto keys = app.value()->keys().list();
  if (!keys) return report_error(keys.error());
  std::printf("%-12s  %-8s  %-5s  %-20s  %-26s  %s\n", "KEY_ID", "STATE", "SCOPE", "NAME", "CREATED", "FILES");
  for (const auto& k : keys.value()) {
    std::string files = k.all_files ? "*" : "";
    for (const auto& f : k.files) files += (files.empty() ? "" : ",") + f;
    std::printf("%-12s  %-8s  %-5s  %-20s  %-26.26s  %s\n", k.key_id.c_str(),
                k.revoked_at.empty() ? "active" : "revoked", k.write ? "write" : "read", k.name.c_str(),
                k.created_at.c_str(), files.c_str());
  }
  return 0;
}

int revoke_key(CliContext& ctx, const std::string& key_id) {
  auto app = ctx.app();
  if (!app) return report_error(app.error());
  // Accept the whole key as well as its id.
  std::string id = key_id;
  if (id.rfind("fsk_", 0) == 0 && id.size() > 16) id = id.substr(4, 12);
  if (Status revoked = app.value()->keys().revoke(id); !revoked) return report_error(revoked.error());
  std::fprintf(stderr, "revoked key %s\n", id.c_str());
  return 0;
}

struct TokenArgs {
  std::vector<std::string> files;
  bool all = false;
  int64_t ttl = 3600;
  std::string subject;
  bool write = false;
};

int create_token(CliContext& ctx, const TokenArgs& args) {
  if (args.all == !args.files.empty()) {
    return report_error(invalid_argument("bad_token_scope", "give --file UUID (repeatable) or --all"));
  }
  for (const auto& f : args.files) {
    if (Status valid = check_file_uuid(f, "--file"); !valid) return report_error(valid.error());
  }
  if (ctx.jwt_secret.empty()) {
    return report_error(invalid_argument("jwt_not_configured", "set --jwt-secret or FRAMESERVE_JWT_SECRET"));
  }
  auth::JwtCodec codec(ctx.jwt_secret);
  auto token =
      codec.mint(args.files, args.all, std::chrono::seconds(args.ttl), std::time(nullptr), args.subject, args.write);
  if (!token) return report_error(token.error());
  std::printf("%s\n", token->c_str());
  return 0;
}

}  // namespace

void add_key_commands(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("key", "Manage API keys (stored hashed)");
  group->require_subcommand(1);

  auto args = std::make_shared<KeyArgs>();
  CLI::App* create = group->add_subcommand("create", "Create a key and print it once");
  create->add_option("--file", args->files, "Grant this file_uuid (repeatable)");
  create->add_flag("--all", args->all, "Grant every file");
  create->add_option("--name", args->name, "A note to recognise the key by");
  create->add_flag("--write", args->write, "Also allow writes: registering files, importing detections, deleting");
  create->callback([&ctx, args] { ctx.action = [&ctx, args] { return create_key(ctx, *args); }; });

  CLI::App* list = group->add_subcommand("list", "List keys (ids and grants, never secrets)");
  list->callback([&ctx] { ctx.action = [&ctx] { return list_keys(ctx); }; });

  auto key_id = std::make_shared<std::string>();
  CLI::App* revoke = group->add_subcommand("revoke", "Revoke a key");
  revoke->add_option("KEY_ID", *key_id, "The key's id (or the whole key)")->required();
  revoke->callback([&ctx, key_id] { ctx.action = [&ctx, key_id] { return revoke_key(ctx, *key_id); }; });
}

void add_token_command(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("token", "Mint JWTs for the configured secret");
  group->require_subcommand(1);
  auto args = std::make_shared<TokenArgs>();
  CLI::App* create = group->add_subcommand("create", "Print an HS256 token granting files");
  create->add_option("--file", args->files, "Grant this file_uuid (repeatable)");
  create->add_flag("--all", args->all, "Grant every file (\"files\": \"*\")");
  whole_number_option(create->add_option("--ttl", args->ttl, "Lifetime in seconds"), 1, int64_t{10} * 365 * 86400)
      ->capture_default_str();
  create->add_option("--subject", args->subject, "The token's \"sub\" claim");
  create->add_flag("--write", args->write, "Add \"scope\": \"write\" (registering files, importing detections)");
  create->add_option("--jwt-secret", ctx.jwt_secret, "HS256 secret")->envname("FRAMESERVE_JWT_SECRET");
  create->callback([&ctx, args] { ctx.action = [&ctx, args] { return create_token(ctx, *args); }; });
}

}  // namespace frameserve::cli
