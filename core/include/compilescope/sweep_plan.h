// What a sweep will measure, without measuring anything and without LibTorch: the GUI and the CLI count and list
// the plan (progress totals, the measurements a stopped sweep did not reach) from the model library alone.
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"

#include <vector>

namespace compilescope {

/// Number of measurements a valid configuration plans (cells x phases x variants).
int planned_measurements(const SweepConfig& config);

/// Every measurement a valid configuration plans, in the sweep's order: what each measures and its estimates,
/// marked cancelled and "not started" (what a stopped sweep reports for those it did not reach).
std::vector<Measurement> plan_measurements(const SweepConfig& config);

} // namespace compilescope
