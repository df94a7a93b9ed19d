#include "common/ip_network.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "common/text.hpp"

namespace frameserve {

namespace {
struct Address {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
};

// inet_pton on a bounded copy; an IPv4-mapped IPv6 address becomes IPv4 so
// that a dual-stack listener's peers match IPv4 networks.
std::optional<Address> parse_address(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string copy(text);
  Address out;
  if (::inet_pton(AF_INET, copy.c_str(), out.bytes.data()) == 1) return out;
  if (::inet_pton(AF_INET6, copy.c_str(), out.bytes.data()) != 1) return std::nullopt;
  static const unsigned char k_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(out.bytes.data(), k_mapped_prefix, 12) == 0) {
    std::memmove(out.bytes.data(), out.bytes.data() + 12, 4);
    std::memset(out.bytes.data() + 4, 0, 12);
    return out;
  }
  out.v6 = true;
  return out;
}
}  // namespace

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
  size_t slash = text.find('/');
  auto address = parse_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  int max_prefix = address->v6 ? 128 : 32;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    auto parsed = parse_int64(text.substr(slash + 1));
    if (!parsed || *parsed < 0 || *parsed > max_prefix) return std::nullopt;
    prefix = static_cast<int>(*parsed);
  }
  IpNetwork network;
  network.m_v6 = address->v6;
  network.m_bytes = address->bytes;
  network.m_prefix = prefix;
  return network;
}

bool IpNetwork::contains(std::string_view text) const {
  auto address = parse_address(text);
  if (!address || address->v6 != m_v6) return false;
  int full_bytes = m_prefix / 8;
  if (std::memcmp(address->bytes.data(), m_bytes.data(), static_cast<size_t>(full_bytes)) != 0) return false;
  int rest = m_prefix % 8;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (address->bytes[full_bytes] & mask) == (m_bytes[full_bytes] & mask);
}

bool in_any_network(const std::vector<IpNetwork>& networks, std::string_view address) {
  for (const IpNetwork& network : networks) {
    if (network.contains(address)) return true;
  }
  return false;
}

}  // namespace frameserve
