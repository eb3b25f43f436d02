// Runs a validated sweep (compilescope/sweep.h checks the configuration and calls these).
#pragma once

#include "compilescope/engine/engine_only.h"

#include "cell.h"
#include "compilescope/sweep_events.h"

#include <vector>

namespace compilescope::engine {

/// Measures every (cell, phase, variant) of `config`, reporting to `callbacks`; with `resumed`, a cell and phase
/// whose every variant finished there is reported as it was, not run again (see resume_sweep).
RunResult run_sweep_plan(
    const SweepConfig& config, const SweepCallbacks& callbacks, const CancelToken& cancel, const RunResult* resumed);

/// The AOTInductor packages of every cell and phase of `cells` that fits in memory, exported where the cache lacks
/// them (see export_aoti_packages). Throws when the cache cannot be used.
std::vector<AotiPackageOutcome> make_aoti_packages(const SweepConfig& config, const SweepCallbacks& callbacks,
    const CancelToken& cancel, const std::vector<Cell>& cells);

} // namespace compilescope::engine
