// The roofs of the roofline for a run: a known GPU's datasheet figures, else a short probe measured on the device
// once and cached.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/environment.h"
#include "compilescope/types.h"

namespace compilescope::engine {

/// known_gpu_peaks() for a GPU it recognises; otherwise the best of a few matrix products in `dtype` (the FLOP roof)
/// and of a few large copies (the bandwidth roof), measured here in about a second and kept in
/// cache_directory()/device-peaks.json under the device's name, dtype and thread count, so each device is probed once.
DevicePeaks device_peaks(const Environment& environment, Device device, Dtype dtype);

} // namespace compilescope::engine
