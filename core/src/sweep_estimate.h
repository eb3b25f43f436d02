// The arithmetic of the estimate before Run (compilescope/run_estimate.h), without LibTorch: what the machine is
// (roofs, costs, which variants run, which packages are cached) comes in as facts, from the engine
// (core/src/engine/run_estimate.cpp) or from a test.
#pragma once

#include "cell.h"
#include "compilescope/config.h"
#include "compilescope/environment.h"
#include "compilescope/run_estimate.h"
#include "device_costs.h"
#include "machine_pace.h"

#include <cstdint>
#include <functional>
#include <string>

namespace compilescope::engine {

struct MachineFacts {
    DevicePeaks peaks; ///< not valid: an iteration is estimated from its operators' dispatch floor alone
    DeviceCosts costs;
    int64_t memory_limit_bytes = 0; ///< what each (cell, phase)'s memory estimate is checked against; 0: unknown
    int aoti_jobs = 1; ///< AOTInductor exporters at once
    /// Whether a variant can run on the configured device here; unset: every one can.
    std::function<bool(const std::string& variant)> runs;
    /// Whether the AOTInductor package of a (cell, phase) is in the cache; unset: none is.
    std::function<bool(const Cell& cell, Phase phase)> package_cached;
    /// What the sweep's threads would get of the CPUs now (measure_machine_pace); the default is a quiet machine.
    MachinePace pace;
};

/// The estimate of a valid configuration's sweep on a machine with these facts.
RunEstimate estimate_sweep(const SweepConfig& config, const MachineFacts& facts);

/// How the stopping rule of MeasureConfig ends for an iteration of `iteration_s` seconds: its fewest iterations
/// (min_iters and min_time reached and the standard error small at once), the typical number (the standard error
/// of `noise_cv` reaching target_rel_error), and the most (max_iters or max_time).
struct IterationCounts {
    double fewest = 0;
    double typical = 0;
    double most = 0;
};
IterationCounts timed_iterations(const MeasureConfig& measure, double iteration_s, double noise_cv);

} // namespace compilescope::engine
