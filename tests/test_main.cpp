// doctest's main. SIGPIPE is ignored as in frameserve itself, so a test
// that writes to a closed socket or pipe sees an error instead of dying.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <signal.h>

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  doctest::Context context(argc, argv);
  return context.run();
}
