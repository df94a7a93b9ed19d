// Where frameserve finds its working files when nothing is configured:
// the checkout that holds the binary (build/frameserve -> the repo root).
#pragma once

#include <string>

namespace frameserve::app {

// The directory above the one holding the running binary.
std::string install_root();

// The default database: the conninfo written by `make run` into
// var/conninfo, or the embedded cluster's socket under var/pg/run.
std::string default_conninfo();

}  // namespace frameserve::app
