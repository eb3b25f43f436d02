// The compact plain-text results table `run` prints on standard output.
#pragma once

#include "compilescope/results.h"

#include <string>

namespace compilescope::cli {

/// One aligned row per measurement (cell, phase, variant, mean±std, median, n, speedup with its 95% CI, status),
/// then the reasons of every measurement that is not ok, and a line saying so when the run was cancelled.
std::string results_table(const RunResult& run);

} // namespace compilescope::cli
