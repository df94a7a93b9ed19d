#include "http/web_assets.hpp"

namespace frameserve::http {

const WebAsset* find_web_asset(std::string_view name) {
  for (const WebAsset& asset : embedded_web_assets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

}  // namespace frameserve::http
