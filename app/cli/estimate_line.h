// The estimate before a sweep, as the CLI prints it on standard error before the worker starts (the figures are the
// engine's estimate_run, the words the model's).
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"
#include "compilescope/run_estimate.h"

#include <string>

namespace compilescope::cli {

/// estimate_run with the device's roofs (a probe of about a second the first time on a machine; none when the device
/// has none).
RunEstimate estimate_sweep_here(const SweepConfig& config);

/// "compilescope-cli: estimate: 84 measurements, about 9 min (5 min to 21 min): measuring 1 min, 14 AOTInductor
/// exports 4 min, Python start-up and 28 compiles 3 min". For a resumed sweep (`resumed`: what finished before),
/// what is left of it.
std::string estimate_line(const RunEstimate& estimate, const RunResult* resumed);

/// "compilescope-cli: largest cell: 1.20 GiB (attention d_model=128 seq_len=8192 forward_backward) of 11.3 GiB
/// available", and how many (cell, phase)s will be skipped for memory when some will.
std::string memory_line(const RunEstimate& estimate);

} // namespace compilescope::cli
