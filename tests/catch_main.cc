// main() for the Catch2 2.x suites (Debian bookworm ships Catch2 2.13 without a main library).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
