// Estimates what a sweep will cost before it runs (the numbers are compilescope/run_estimate.h).
#pragma once

#include "compilescope/config.h"
#include "compilescope/engine/engine_only.h"
#include "compilescope/environment.h"
#include "compilescope/run_estimate.h"

namespace compilescope {

/// The device's roofs for a dtype, as a sweep's roofline gets them: a known GPU's datasheet, the cached probe, or a
/// probe of about a second (then cached). Initialises LibTorch; threads as LibTorch has them now.
DevicePeaks device_roofs(Device device, Dtype dtype);

/// Estimates the sweep of a valid configuration (see validate_config) with these roofs, this device's measured costs
/// (core/src/device_costs.cpp), the variants that can run here and the AOTInductor packages the cache holds. Cheap
/// (milliseconds): the packages' keys come from inputs on the meta device, and nothing runs.
RunEstimate estimate_run(const SweepConfig& config, const DevicePeaks& peaks);

} // namespace compilescope
