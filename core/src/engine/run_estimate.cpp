#include "compilescope/engine/run_estimate.h"

#include "cell.h"
#include "compilescope/engine/environment.h"
#include "compilescope/sweep_plan.h"
#include "cost_model.h"
#include "engine/device_memory.h"
#include "engine/device_peaks.h"

#include <algorithm>
#include <vector>

namespace compilescope {

namespace {

using engine::Cell;

/// Seconds of one measurement whose iterations each take `iteration_s`.
double measurement_seconds(const MeasureConfig& measure, double iteration_s)
{
    const double timed = measure.fixed_iters > 0 ? measure.fixed_iters * iteration_s
                                                 : std::max(measure.min_time_s, measure.min_iters * iteration_s);
    const double profiled = measure.profile ? measure.profile_iters * iteration_s : 0;
    return measure.warmup_iters * iteration_s + timed + profiled;
}

} // namespace

DevicePeaks device_roofs(Device device, Dtype dtype)
{
    return engine::device_peaks(collect_environment(), device, dtype);
}

RunEstimate estimate_run(const SweepConfig& config, const DevicePeaks& peaks)
{
    RunEstimate estimate;
    estimate.measurements = planned_measurements(config);
    estimate.memory_limit_bytes
        = config.memory_limit_bytes > 0 ? config.memory_limit_bytes : engine::available_memory_bytes(config.device);
    const double variants = double(config.variants.size());
    for (const Cell& cell : engine::plan_cells(config)) {
        for (Phase phase : selected_phases(config, cell.workload)) {
            if (peaks.valid()) {
                const double iteration_s = std::max(engine::estimated_flops(cell, phase) / peaks.flops_per_s,
                    engine::estimated_bytes(cell, phase) / peaks.bytes_per_s);
                estimate.seconds += variants * measurement_seconds(config.measure, iteration_s);
            }
            const int64_t memory
                = engine::estimated_memory_bytes(cell, phase, engine::live_cpp_programs(config.variants));
            if (memory > estimate.largest_memory_bytes) {
                estimate.largest_memory_bytes = memory;
                estimate.largest_cell = cell.label() + " " + to_string(phase);
            }
            if (estimate.memory_limit_bytes > 0 && memory > estimate.memory_limit_bytes)
                ++estimate.cells_over_limit;
        }
    }
    return estimate;
}

} // namespace compilescope
