#include "kernels/random.h"

#include <mutex>

namespace loom {

namespace {
std::mutex mu;
std::mt19937_64 engine(0);  // seeded with 0 until the user seeds it
}  // namespace

void seed_random(uint64_t seed) {
  std::lock_guard<std::mutex> lock(mu);
  engine.seed(seed);
}

uint64_t next_call_seed() {
  std::lock_guard<std::mutex> lock(mu);
  return engine();
}

}  // namespace loom
