#include "app/paths.hpp"

#include <unistd.h>

#include <climits>
#include <fstream>
#include <string>

#include "common/text.hpp"

namespace frameserve::app {

std::string install_root() {
  char buffer[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return ".";
  std::string exe(buffer, static_cast<size_t>(n));
  std::string dir = exe.substr(0, exe.find_last_of('/'));
  return dir.substr(0, dir.find_last_of('/'));
}

std::string default_conninfo() {
  std::string root = install_root();
  std::ifstream file(root + "/var/conninfo");
  std::string line;
  if (file && std::getline(file, line) && !trim(line).empty()) return std::string(trim(line));
  return "host=" + root + "/var/pg/run dbname=frameserve user=frameserve";
}

}  // namespace frameserve::app
