// Runs a sweep on the calling thread: every (cell, phase, variant) is measured and reported as it finishes.
#pragma once

#include "compilescope/config.h"
#include "compilescope/engine/engine_only.h"
#include "compilescope/results.h"
#include "compilescope/sweep_events.h"
#include "compilescope/sweep_plan.h" // what run_sweep measures; its callers count it for progress

#include <vector>

namespace compilescope {

/// Runs a validated configuration (see validate_config). Errors inside a cell are caught and recorded as failed
/// measurements; the sweep goes on. Throws std::invalid_argument for an invalid configuration.
RunResult run_sweep(const SweepConfig& config, const SweepCallbacks& callbacks, const CancelToken& cancel);

/// Continues `partial` (a sweep that was stopped or killed; see compilescope/journal.h) with its configuration: a
/// cell and phase whose every variant finished is not run again, its measurements are reported as they were;
/// every other cell and phase is run again, but for its failed measurements, which are reported as they were (a
/// failure is a result: a variant that crashed the process must not crash it again); its ok ones are timed again
/// with the rest (variants of a phase are timed together, and eager is their reference). The result keeps the
/// first start time. Throws like run_sweep.
RunResult resume_sweep(const RunResult& partial, const SweepCallbacks& callbacks, const CancelToken& cancel);

/// Makes, without measuring anything, the AOTInductor packages a sweep of `config` would load (every cell and
/// phase; the config's variants do not matter): ahead of time for a whole grid, so that the sweep finds them in the
/// cache. Exports run `config.aoti_jobs` at a time; progress and log lines go to `callbacks`. Throws
/// std::invalid_argument for an invalid configuration, std::runtime_error when the cache cannot be used.
std::vector<AotiPackageOutcome> export_aoti_packages(
    const SweepConfig& config, const SweepCallbacks& callbacks, const CancelToken& cancel);

} // namespace compilescope
