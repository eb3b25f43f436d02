#include "measurement_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace compilescope::cli {

namespace {

int decimals_for(double value)
{
    if (!(std::abs(value) > 0))
        return 2;
    const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value))));
    return std::clamp(2 - magnitude, 0, 6);
}

std::string fixed(double value, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

} // namespace

std::string format_ms(double ms)
{
    return fixed(ms, decimals_for(ms));
}

std::string format_mean_std(const Stats& stats)
{
    const int decimals = decimals_for(stats.mean_ms);
    return fixed(stats.mean_ms, decimals) + "±" + fixed(stats.std_ms, decimals);
}

std::string format_speedup(const std::optional<Speedup>& speedup)
{
    return speedup ? fixed(speedup->median, 2) + "x" : "-";
}

std::string describe_cell(const CellKey& cell)
{
    return to_string(cell.workload) + " batch=" + std::to_string(cell.batch)
        + " d_model=" + std::to_string(cell.d_model) + " seq_len=" + std::to_string(cell.seq_len);
}

std::string describe_measurement(const Measurement& measurement)
{
    return describe_cell(measurement.cell) + " " + to_string(measurement.phase) + " " + measurement.variant;
}

std::string describe_status(const Measurement& measurement, const MeasureConfig& measure)
{
    if (measurement.ok() && is_noisy(measurement, measure))
        return "ok (noisy, CV " + fixed(100 * measurement.stats.cv, 0) + "%)";
    return to_string(measurement.status);
}

} // namespace compilescope::cli
