// What the estimate before Run needs to know about this machine (the arithmetic is the model's, sweep_estimate.h).
#include "compilescope/engine/run_estimate.h"

#include "compilescope/engine/environment.h"
#include "device_costs.h"
#include "engine/aoti_exporter.h"
#include "engine/aoti_package.h"
#include "engine/device_memory.h"
#include "engine/device_peaks.h"
#include "engine/variant_registry.h"
#include "engine/workloads.h"
#include "machine_pace.h"
#include "sweep_estimate.h"

#include <chrono>
#include <mutex>

namespace compilescope {

namespace {

/// The machine's pace for `threads`, measured at most every 10 s: a panel re-estimates on every edit, and a tenth of
/// a second of spinning each time would be felt.
MachinePace current_pace(int threads)
{
    using Clock = std::chrono::steady_clock;
    static std::mutex mutex;
    static MachinePace last;
    static Clock::time_point measured_at;
    const std::lock_guard lock(mutex);
    if (last.threads != threads || measured_at == Clock::time_point {}
        || Clock::now() - measured_at > std::chrono::seconds(10)) {
        last = measure_machine_pace(threads);
        measured_at = Clock::now();
    }
    return last;
}

} // namespace

DevicePeaks device_roofs(Device device, Dtype dtype)
{
    return engine::device_peaks(collect_environment(), device, dtype);
}

RunEstimate estimate_run(const SweepConfig& config, const DevicePeaks& peaks)
{
    engine::MachineFacts facts;
    facts.peaks = peaks;
    facts.costs = engine::device_costs(config.device);
    facts.memory_limit_bytes
        = config.memory_limit_bytes > 0 ? config.memory_limit_bytes : engine::available_memory_bytes(config.device);
    facts.aoti_jobs = config.aoti_jobs > 0 ? config.aoti_jobs : engine::default_aoti_jobs();
    facts.pace = current_pace(config.threads > 0 ? config.threads : at::get_num_threads());
    facts.runs = [&config](const std::string& name) {
        const auto variant = engine::find_variant(name);
        return variant && variant->availability(config.device, config).available;
    };
    facts.package_cached = [](const engine::Cell& cell, Phase phase) {
        try {
            return engine::aoti_package_cached(
                engine::aoti_package_request(engine::make_phase_shapes(cell, phase), cell.aoti_cache));
        } catch (const std::exception&) {
            return false; // no key, no package: the sweep says why when it exports
        }
    };
    return engine::estimate_sweep(config, facts);
}

} // namespace compilescope
