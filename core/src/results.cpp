#include "compilescope/results.h"

#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"

#include <algorithm>
#include <cmath>

namespace compilescope {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

bool CellKey::operator==(const CellKey& other) const
{
    return workload == other.workload && batch == other.batch && d_model == other.d_model && seq_len == other.seq_len
        && point == other.point;
}

bool is_noisy(const Measurement& measurement, const MeasureConfig& measure)
{
    return measurement.ok() && measurement.stats.n > 1 && measurement.stats.cv > measure.noise_cv_threshold;
}

bool taken_under_load(const Measurement& measurement)
{
    return measurement.load && measurement.load->busy();
}

IntervalVerdict interval_verdict(const Measurement& measurement)
{
    if (!measurement.ok() || measurement.stats.n == 0)
        return IntervalVerdict::counts;
    return interval_verdict(measurement.stats.n, measurement.samples_ms);
}

std::optional<std::string> time_slice_grid_note(const std::vector<double>& samples_ms)
{
    const std::optional<TimeSliceGrid> grid = time_slice_grid(samples_ms);
    if (!grid)
        return std::nullopt;
    return "timed on the scheduler's time-slice grid: " + std::to_string(grid->on_grid) + " of "
        + std::to_string(grid->n) + " samples lie on a grid of " + time_slice_text(grid->step_ms) + " steps, "
        + std::to_string(grid->lifted) + " of them one or more steps above the lowest; the process waited for the "
        + "CPU, so the timing is the scheduler's, not the workload's";
}

const std::string& speedup_baseline(const RunResult& run)
{
    return run.config.speedup_baseline;
}

bool same_measurement(const Measurement& a, const Measurement& b)
{
    return a.cell == b.cell && a.phase == b.phase && a.variant == b.variant;
}

const Measurement* find_measurement(const RunResult& run, const CellKey& cell, Phase phase, const std::string& variant)
{
    for (const Measurement& measurement : run.measurements) {
        if (measurement.cell == cell && measurement.phase == phase && measurement.variant == variant)
            return &measurement;
    }
    return nullptr;
}

const Measurement* find_baseline(const RunResult& run, const Measurement& measurement)
{
    return find_measurement(run, measurement.cell, measurement.phase, speedup_baseline(run));
}

std::optional<Speedup> speedup_over_baseline(const RunResult& run, const Measurement& measurement)
{
    return speedup_over_baseline(run, measurement, [&run](const Measurement& of) { return find_baseline(run, of); });
}

std::optional<Speedup> speedup_over_baseline(const RunResult& run, const Measurement& measurement,
    const std::function<const Measurement*(const Measurement&)>& find_baseline_of)
{
    if (!measurement.ok() || measurement.stats.n == 0)
        return std::nullopt;
    // The baseline against itself is exactly 1 with no uncertainty: the same samples, not two independent ones.
    if (measurement.variant == speedup_baseline(run))
        return without_interval(Speedup { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 }, interval_verdict(measurement));
    const Measurement* baseline = find_baseline_of(measurement);
    if (baseline == nullptr || !baseline->ok() || baseline->stats.n == 0)
        return std::nullopt;
    // The recorded statistics give the ratios (charts and tables ask on every repaint: no re-sorting of samples);
    // the samples give the median's interval, which files written by hand without samples lack.
    Speedup ratio = speedup(baseline->stats, measurement.stats);
    ratio = without_interval(ratio, interval_verdict(interval_verdict(*baseline), interval_verdict(measurement)));
    if (ratio.interval == IntervalVerdict::counts && std::isfinite(ratio.median)) {
        const Interval interval = median_ratio_interval(baseline->samples_ms, measurement.samples_ms);
        ratio.ci_low = interval.low;
        ratio.ci_high = interval.high;
    }
    return ratio;
}

std::string setup_change(const RunResult& run, const Environment& now)
{
    const Environment& before = run.environment;
    const auto differs = [](const char* what, const std::string& a, const std::string& b) {
        return a == b ? std::string() : std::string(what) + " was '" + a + "', now '" + b + "'";
    };
    for (const std::string& change :
        { differs("host", before.hostname, now.hostname), differs("CPU", before.cpu_model, now.cpu_model),
            differs("LibTorch", before.libtorch_version, now.libtorch_version),
            run.config.device == Device::cuda ? differs("GPU", before.gpu_name, now.gpu_name) : std::string() }) {
        if (!change.empty())
            return change;
    }
    return {};
}

bool has_variant(const RunResult& run, const std::string& variant)
{
    return std::any_of(run.measurements.begin(), run.measurements.end(),
        [&variant](const Measurement& measurement) { return measurement.variant == variant; });
}

std::vector<std::string> variants_in(const RunResult& run)
{
    std::vector<std::string> present;
    for (const Measurement& measurement : run.measurements) {
        if (!contains(present, measurement.variant))
            present.push_back(measurement.variant);
    }

    std::vector<std::string> ordered;
    if (contains(present, eager_variant))
        ordered.emplace_back(eager_variant);
    for (const std::string& name : run.config.variants) {
        if (contains(present, name) && !contains(ordered, name))
            ordered.push_back(name);
    }
    // A run edited by hand or from a newer build may hold variants its config does not list: keep them, last.
    for (const std::string& name : present) {
        if (!contains(ordered, name))
            ordered.push_back(name);
    }
    return ordered;
}

} // namespace compilescope
