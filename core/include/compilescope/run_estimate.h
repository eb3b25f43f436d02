// What a sweep will cost before it runs: how many measurements, a rough time, and the largest memory estimate, so
// that a front end can say so before Run (and ask before hours of work or cells that will not fit).
#pragma once

#include <cstdint>
#include <string>

namespace compilescope {

struct RunEstimate {
    int measurements = 0; ///< cells x phases x variants, as planned_measurements()
    /// A lower bound on the measuring time: every measurement's warm-ups, timed iterations (adaptive: until the
    /// minimum time and min_iters are both reached) and profiled iterations, each iteration as fast as the device's
    /// roofs allow for its FLOPs and least bytes. Compilation, AOTInductor exports and Python start-up are not in it,
    /// nor cells that keep iterating to max_time because they are noisy. 0 when the peaks are not valid.
    double seconds = 0;
    int64_t largest_memory_bytes = 0; ///< the largest (cell, phase) memory estimate, the one the sweep checks
    std::string largest_cell; ///< that cell and phase, e.g. "attention d_model=128 seq_len=8192 backward"
    /// What the sweep checks memory estimates against: memory_limit_bytes, else the device's available memory now;
    /// 0 when unknown.
    int64_t memory_limit_bytes = 0;
    int cells_over_limit = 0; ///< (cell, phase) pairs the sweep would skip because they would not fit
};

} // namespace compilescope
