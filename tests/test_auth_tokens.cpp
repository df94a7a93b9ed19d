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
    std::string token =
        base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + base64url_encode(R"({"files":"*"})") + ".";
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
                      base64url_encode(R"({"files":"*","exp":4102444800})") + good.substr(good.rfind('.'));
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
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800,"nbf":1799999999.5})", "s3cret"),
                       now));
    auto early = codec.verify(
        forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800,"nbf":1800000000.5})", "s3cret"), now);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == "token_not_yet_valid");
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4.1e9})", "s3cret"), now));
  }
  SUBCASE("exp or nbf that are not numbers are invalid") {
    CHECK(
        codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":"4102444800"})", "s3cret"), now).error().code ==
        "invalid_token");
    CHECK(codec.verify(forge(R"({"alg":"HS256"})", R"({"files":"*","exp":4102444800,"nbf":null})", "s3cret"), now)
              .error()
              .code == "invalid_token");
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

TEST_CASE("JWT claims are read one way: duplicates, crit, files and nesting are refused") {
  JwtCodec codec("s3cret");
  const std::time_t now = 1800000000;
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  // The 401 for `payload` (signed with the right secret), or "" when it verified.
  auto refusal = [&](const std::string& head, const std::string& payload) -> std::string {
    auto grant = codec.verify(forge(head, payload, "s3cret"), now);
    if (grant) return "";
    CHECK(grant.error().kind == ErrorKind::unauthorized);
    CHECK(grant.error().code == "invalid_token");
    return grant.error().message;
  };

  SUBCASE("a claim given twice is refused, whichever order its values come in") {
    std::string write_then_read = refusal(header, R"({"files":["f"],"exp":4102444800,"scope":"write","scope":"read"})");
    std::string read_then_write = refusal(header, R"({"files":["f"],"exp":4102444800,"scope":"read","scope":"write"})");
    CHECK(write_then_read.find("\"scope\"") != std::string::npos);
    CHECK(read_then_write.find("\"scope\"") != std::string::npos);
    CHECK(write_then_read.find("more than once") != std::string::npos);
    CHECK(refusal(header, R"({"files":"*","exp":9999999999,"exp":1})").find("\"exp\"") != std::string::npos);
    CHECK(refusal(header, R"({"files":"*","exp":1,"exp":9999999999})").find("\"exp\"") != std::string::npos);
    CHECK(refusal(header, R"({"files":"*","exp":4102444800,"nbf":1,"nbf":4102444800})").find("\"nbf\"") !=
          std::string::npos);
    CHECK(refusal(header, R"({"files":["a"],"files":"*","exp":4102444800})").find("\"files\"") != std::string::npos);
    CHECK(refusal(header, R"({"files":"*","exp":4102444800,"sub":"a","sub":"b"})").find("\"sub\"") !=
          std::string::npos);
    // A member given twice anywhere inside a claim is as ambiguous.
    CHECK(refusal(header, R"({"files":"*","exp":4102444800,"ext":{"a":1,"a":2}})") != "");
  }
  SUBCASE("a header member given twice is refused") {
    std::string twice = refusal(R"({"alg":"HS256","alg":"HS256"})", R"({"files":"*","exp":4102444800})");
    CHECK(twice.find("header") != std::string::npos);
    CHECK(twice.find("\"alg\"") != std::string::npos);
    CHECK(refusal(R"({"alg":"HS256","typ":"JWT","typ":"JWT"})", R"({"files":"*","exp":4102444800})") != "");
  }
  SUBCASE("a crit header is refused: this server understands no extension") {
    std::string crit =
        refusal(R"({"alg":"HS256","crit":["exp"],"exp":4102444800})", R"({"files":"*","exp":4102444800})");
    CHECK(crit.find("\"crit\"") != std::string::npos);
    CHECK(refusal(R"({"alg":"HS256","crit":[]})", R"({"files":"*","exp":4102444800})") != "");
  }
  SUBCASE("files must be an array of file_uuids or \"*\"") {
    for (const char* files : {R"("aeed71342a899fe4b4c57b7d41bcb692")", R"({"a":1})", "5", "null", "true",
                              R"(["aeed71342a899fe4b4c57b7d41bcb692",7])"}) {
      CAPTURE(files);
      std::string message = refusal(header, std::string(R"({"exp":4102444800,"files":)") + files + "}");
      CHECK(message.find("\"files\"") != std::string::npos);
    }
    CHECK(refusal(header, R"({"exp":4102444800,"files":"*"})") == "");
    CHECK(refusal(header, R"({"exp":4102444800,"files":[]})") == "");
    CHECK(refusal(header, R"({"exp":4102444800,"files":["AEED71342A899FE4B4C57B7D41BCB692"]})") == "");
  }
  SUBCASE("sub must be a string") {
    CHECK(refusal(header, R"({"files":"*","exp":4102444800,"sub":7})").find("\"sub\"") != std::string::npos);
  }
  SUBCASE("deeply nested JSON is a 401, not a crash") {
    for (size_t depth : {size_t{100000}, size_t{2000000}}) {
      CAPTURE(depth);
      std::string deep(depth, '[');
      CHECK(refusal(header, R"({"files":"*","exp":4102444800,"x":)" + deep + "}") != "");
      CHECK(refusal(R"({"alg":"HS256","x":)" + deep + "}", R"({"files":"*","exp":4102444800})") != "");
      // The same, unsigned: refused before any verification.
      std::string token = base64url_encode(R"({"alg":"HS256","x":)" + deep + "}") + "." +
                          base64url_encode(R"({"files":"*"})") + ".AAAA";
      CHECK_FALSE(codec.verify(token, now));
    }
    // Moderate nesting in a claim nobody reads is still fine.
    CHECK(refusal(header, R"({"files":"*","exp":4102444800,"x":[[[[{"y":[1]}]]]]})") == "");
  }
  SUBCASE("the signature is compared in its one base64url spelling") {
    std::string good = forge(header, R"({"files":"*","exp":4102444800})", "s3cret");
    REQUIRE(codec.verify(good, now));
    // The last character of a 32-byte signature carries 2 unused bits: another
    // spelling of the same bytes is not the token that was signed.
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string other = good;
    other.back() = alphabet[alphabet.find(good.back()) ^ 1];
    REQUIRE(base64url_decode(other.substr(other.rfind('.') + 1)) == base64url_decode(good.substr(good.rfind('.') + 1)));
    CHECK_FALSE(codec.verify(other, now));
    CHECK_FALSE(codec.verify(good + "=", now));
    CHECK_FALSE(codec.verify(good.substr(0, good.size() - 1), now));
  }
}
