// What a sweep will cost before it runs: how many measurements, about how long (and what that time is made of), and
// the largest memory estimate, so that a front end can say so before Run (and ask before hours of work or cells that
// will not fit). The engine fills it (compilescope/engine/run_estimate.h); the sweep's ETA starts from it
// (eta_calibration.h).
#pragma once

#include "compilescope/results.h"
#include "compilescope/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace compilescope {

/// One planned measurement's share of the estimate.
struct MeasurementEstimate {
    CellKey cell;
    Phase phase = Phase::forward;
    std::string variant;
    int group = 0; ///< its (cell, phase) in plan order: the C++ variants of a group are timed together
    bool python = false; ///< measured in the Python child, on its own, after the group's C++ variants
    /// Its build, warm-ups, timed iterations (by the adaptive stopping rules, in turns with the group's other C++
    /// variants), profiled pass and check against eager. 0 when it will not run (unavailable here, or its cell does
    /// not fit in memory).
    double work_s = 0;
    /// Its compile: torch.compile (with the sweep's first compile warming Dynamo and Inductor up), TorchScript's
    /// scripting; the first Python variant also starts the Python child.
    double one_off_s = 0;
};

struct RunEstimate {
    int measurements = 0; ///< cells x phases x variants, as planned_measurements()
    /// About how long the sweep will take: a typical figure, not a bound. The sum of measuring_s, export_s,
    /// compile_s and start_s. 0 when there is nothing to run.
    double seconds = 0;
    /// The range it should fall in: every measurement stopping as early as its rules allow, on a quiet machine, one-off
    /// work twice as fast as measured (low); every measurement running to max_time or max_iters, iterations at half the
    /// typical speed, one-off work twice as slow, the machine as busy as when estimated (high).
    double low_s = 0;
    double high_s = 0;
    /// What `seconds` is made of. Measuring: every measurement's build, warm-ups, timed iterations, profiled pass and
    /// check (MeasurementEstimate::work_s).
    double measuring_s = 0;
    double export_s = 0; ///< AOTInductor packages that are not in the cache, exported before anything is timed
    int exports = 0; ///< packages to export
    int exports_cached = 0; ///< packages the sweep needs that the cache has already (they cost nothing)
    double compile_s = 0; ///< the Python child's start, torch.compile, TorchScript scripting
    int compiles = 0; ///< measurements that compile (torch.compile, TorchScript) before they are timed
    bool starts_python = false; ///< compile_s includes starting the Python child
    double start_s = 0; ///< the worker's start: LibTorch, the environment, the look at the machine's load
    /// How busy the machine was when estimated: the CPU time the sweep's threads would get (`busy_cores` of
    /// `busy_threads`), and what that made of the figure: one-off work and CPU iterations this many times longer than
    /// on a quiet machine. 1 and 1 on a quiet one (the range's low end always assumes a quiet machine).
    double busy_cores = 0;
    int busy_threads = 0;
    double one_off_slowdown = 1;
    double iteration_slowdown = 1;
    /// Whether the device's roofs were known: without them an iteration is its operators' dispatch floor only, and
    /// the figure is low for large cells.
    bool roofs_known = false;
    std::vector<MeasurementEstimate> plan; ///< every planned measurement, in plan order
    /// Seconds of one export as estimated (export_s / exports, with the exporters that run at once).
    double export_each_s = 0;

    int64_t largest_memory_bytes = 0; ///< the largest (cell, phase) memory estimate, the one the sweep checks
    std::string largest_cell; ///< that cell and phase, e.g. "attention d_model=128 seq_len=8192 backward"
    /// What the sweep checks memory estimates against: memory_limit_bytes, else the device's available memory now;
    /// 0 when unknown.
    int64_t memory_limit_bytes = 0;
    int cells_over_limit = 0; ///< (cell, phase) pairs the sweep would skip because they would not fit
};

/// "about 9 min 40 s (5 min 2 s to 21 min)": the figure and its range, as both front ends show it.
std::string estimate_duration_text(const RunEstimate& estimate);

/// What the figure includes: "timed regions 1 min 10 s, 14 AOTInductor exports 4 min, Python start-up and 28
/// compiles 3 min 5 s" (parts that are 0 are left out; "3 AOTInductor packages cached" when some are).
std::string estimate_parts_text(const RunEstimate& estimate);

} // namespace compilescope
