// The engine's random state. mx.random.seed / MXRandomSeed reseed it; random operators and
// Dropout take a fresh per-call seed from it and run their own generator, so a run is
// reproducible after seeding and concurrent callers never share a generator.
#pragma once

#include <cstdint>
#include <random>

namespace loom {

// Reseeds the engine (every device: GPU kernels also take their seeds from here).
void seed_random(uint64_t seed);
// The next per-call seed (thread-safe, deterministic in call order).
uint64_t next_call_seed();
// A generator for one kernel call: `auto rng = call_generator();`
inline std::mt19937_64 call_generator() { return std::mt19937_64(next_call_seed()); }

}  // namespace loom
