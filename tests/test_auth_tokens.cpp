#include <doctest/doctest.h>

#include "auth/api_key.hpp"
#include "auth/crypto.hpp"
#include "auth/jwt_codec.hpp"

using namespace frameserve;
using namespace frameserve::auth;

namespace {
// Builds a token by hand, so tests can forge headers libjwt would refuse to make.
std::string forge(const std::string& header, const std::string& payload, const std::string& secret) {
  std::string input = base64url_encode(header) + "." + base64url_encode(payload);
  return input + "." + base64url_encode(hmac_sha256(secret, input));
}
}  // namespace

TEST_CASE("api keys: shape, parsing and uniqueness") {
  auto a = generate_api_key();
  auto b = generate_api_key();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->token() != b->token());
  auto parsed = parse_api_key(a->token());
  REQUIRE(parsed);
  CHECK(parsed->key_id == a->parts.key_id);
  CHECK(sha256(parsed->secret) == a->secret_sha256);
  CHECK_FALSE(parse_api_key("fsk_short"));
  CHECK_FALSE(parse_api_key(a->token() + "0"));
  std::string upper = a->token();
  upper[6] = 'G';
  CHECK_FALSE(parse_api_key(upper));
}

TEST_CASE("base64url") {
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64url_decode("-_8") == std::string("\xfb\xff"));
  CHECK_FALSE(base64url_decode("ab+c"));
  CHECK_FALSE(base64url_decode("a"));
}

TEST_CASE("JWT verification") {
  JwtCodec codec("s3cret");
  const std::time_t now = 1800000000;

  SUBCASE("minted tokens verify, with their files") {
    auto token = codec.mint({"aeed71342a899fe4b4c57b7d41bcb692"}, false, std::chrono::seconds(60), now, "alice");
    REQUIRE(token);
    auto grant = codec.verify(*token, now + 10);
    REQUIRE(grant);
    CHECK_FALSE(grant->all_files);
    REQUIRE(grant->files.size() == 1);
    CHECK(grant->files[0] == "aeed71342a899fe4b4c57b7d41bcb692");
    CHECK(grant->subject == "alice");
  }
  SUBCASE("\"*\" grants every file") {
    auto token = codec.mint({}, true, std::chrono::seconds(60), now, "");
    REQUIRE(token);
    auto grant = codec.verify(*token, now);
    REQUIRE(grant);
    CHECK(grant->all_files);
  }
  SUBCASE("expired") {
    auto token = codec.mint({}, true, std::chrono::seconds(60), now, "");
    REQUIRE(token);
    auto grant = codec.verify(*token, now + 61);
    REQUIRE_FALSE(grant);
    CHECK(grant.error().code == "token_expired");
    CHECK(grant.error().kind == ErrorKind::unauthorized);
  }
  SUBCASE("wrong secret") {
    JwtCodec other("other");
    auto token = other.mint({}, true, std::chrono::seconds(60), now, "");
    REQUIRE(token);
    CHECK_FALSE(codec.verify(*token, now));
  }
  SUBCASE("alg none is rejected") {
    std::string token = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                        base64url_encode(R"({"files":"*"})") + ".";
    auto grant = codec.verify(token, now);
    REQUIRE_FALSE(grant);
    CHECK(grant.error().code == "unsupported_algorithm");
  }
  SUBCASE("HS512 and RS256 are rejected even when correctly signed") {
    CHECK(codec.verify(forge(R"({"alg":"HS512"})", R"({"files":"*"})", "s3cret"), now).error().code ==
          "unsupported_algorithm");
    CHECK(codec.verify(forge(R"({"alg":"RS256"})", R"({"files":"*"})", "s3cret"), now).error().code ==
          "unsupported_algorithm");
  }
  SUBCASE("a tampered payload fails the signature") {
    std::string good = forge(R"({"alg":"HS256","typ":"JWT"})", R"({"files":["a"],"exp":4102444800})", "s3cret");
    std::string bad = base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                      base64url_encode(R"({"files":"*","exp":4102444800})") +
                      good.substr(good.rfind('.'));
    CHECK(codec.verify(good, now));
    CHECK_FALSE(codec.verify(bad, now));
  }
  SUBCASE("nbf in the future") {
    auto grant =
        codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800,"nbf":1900000000})", "s3cret"), now);
    REQUIRE_FALSE(grant);
    CHECK(grant.error().code == "token_not_yet_valid");
  }
  SUBCASE("a token without exp is refused unless the policy allows it") {
    std::string forever = forge(R"({"alg":"HS256"})", R"({"files":"*"})", "s3cret");
    auto refused = codec.verify(forever, now);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "token_without_exp");
    CHECK(refused.error().kind == ErrorKind::unauthorized);
    CHECK(refused.error().message.find("exp") != std::string::npos);
    JwtCodec lenient("s3cret", JwtPolicy{true});
    CHECK(lenient.verify(forever, now));
  }
  SUBCASE("exp and nbf are NumericDates: fractions are valid") {
    auto future = codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800.5})", "s3cret"), now);
    REQUIRE(future);
    CHECK(future->expires_at == doctest::Approx(4102444800.5));
    auto past = codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":1799999999.5})", "s3cret"), now);
    REQUIRE_FALSE(past);
    CHECK(past.error().code == "token_expired");
    // Expired at the exact instant, valid half a second before it.
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":1800000000.5})", "s3cret"), now));
    CHECK_FALSE(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":1800000000})", "s3cret"), now));
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800,"nbf":1799999999.5})", "s3cret"), now));
    auto early = codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800,"nbf":1800000000.5})", "s3cret"), now);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == "token_not_yet_valid");
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4.1e9})", "s3cret"), now));
  }
  SUBCASE("exp or nbf that are not numbers are invalid") {
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":"4102444800"})", "s3cret"), now).error().code ==
          "invalid_token");
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800,"nbf":null})", "s3cret"), now)
              .error().code == "invalid_token");
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"(["not","an","object"])", "s3cret"), now).error().code ==
          "invalid_token");
  }
  SUBCASE("minted tokens always carry exp") {
    CHECK(codec.mint({}, true, std::chrono::seconds(0), now, "").error().code == "bad_ttl");
    auto token = codec.mint({}, true, std::chrono::seconds(1), now, "");
    REQUIRE(token);
    auto grant = codec.verify(*token, now);
    REQUIRE(grant);
    CHECK(grant->expires_at == doctest::Approx(static_cast<double>(now + 1)));
  }
  SUBCASE("garbage") {
    CHECK_FALSE(codec.verify("a.b", now));
    CHECK_FALSE(codec.verify("...", now));
    CHECK_FALSE(codec.verify("!!.??.##", now));
  }
  SUBCASE("no secret configured") {
    JwtCodec none("");
    CHECK(none.verify("a.b.c", now).error().code == "jwt_not_configured");
  }
}
