// The compact plain-text results table `run` prints on standard output.
#pragma once

#include "compilescope/results.h"

#include <string>

namespace compilescope::cli {

/// One aligned row per measurement (cell, phase, variant, mean±std, median, n, speedup with its 95% CI, status),
/// then the reasons of every failed, skipped or unavailable one, and when the run was cancelled a line that counts
/// the measurements that did not finish (they get no row).
std::string results_table(const RunResult& run);

} // namespace compilescope::cli
