// Hand-built runs with fixed numbers, shared by the report tests (golden files, JSON, CSV).
#pragma once

#include "compilescope/results.h"

namespace compilescope::testing {

/// The seed's shape on a small grid: attention d_model {16, 64} x seq_len {256, 1024}, all three attention phases,
/// the seed's model (forward, train step), eager and torchscript, every measurement ok, one of them noisy. Twelve
/// samples each, but the model's forward has four: too few for an interval.
RunResult sample_run();

/// sample_run() plus what goes wrong in real sweeps: a failed cell, a variant unavailable on this build, a skipped
/// cell, a message that needs CSV quoting, and one measurement whose samples sit on the 4-ms time-slice grid.
RunResult sample_run_with_problems();

} // namespace compilescope::testing
