// IpNetwork: an IPv4 or IPv6 network in CIDR notation ("10.0.0.0/8",
// "::1/128", or a bare address meaning one host), and whether an address
// lies inside it. Used to decide which direct peers are trusted proxies.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace frameserve {

class IpNetwork {
 public:
  // Parses "ADDRESS[/PREFIX]"; nullopt for anything else (bad address,
  // prefix beyond 32 for IPv4 or 128 for IPv6, trailing text).
  static std::optional<IpNetwork> parse(std::string_view text);

  // True when `address` (textual IPv4 or IPv6) lies inside the network; an
  // unparsable address is never inside. An IPv4-mapped IPv6 address
  // (::ffff:10.1.2.3) matches the IPv4 network it maps to.
  bool contains(std::string_view address) const;

 private:
  bool m_v6 = false;
  std::array<unsigned char, 16> m_bytes{};
  int m_prefix = 0;
};

// True when `address` lies in any of `networks`.
bool in_any_network(const std::vector<IpNetwork>& networks, std::string_view address);

}  // namespace frameserve
