// The Analysis section of the seed-layout report: what the run's own data says, nothing else.
#pragma once

#include "compilescope/results.h"

#include <string>
#include <vector>

namespace compilescope {

/// Every variant but the speedup baseline, whether it ran or not.
std::vector<std::string> compared_variants(const RunResult& run);

/// One Markdown bullet (possibly with nested bullets) per variant: availability, measurement counts, its notes.
std::vector<std::string> compilation_support(const RunResult& run);

/// Key Observations as Markdown bullets: average speedups per variant and phase, the full-step speedup, best and
/// worst cells, where compiled loses, one-time costs, noisy measurements, failures.
std::vector<std::string> key_observations(const RunResult& run);

} // namespace compilescope
