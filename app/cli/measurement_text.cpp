#include "measurement_text.h"

#include "compilescope/text_format.h"

namespace compilescope::cli {

std::string speedup_or_dash(const std::optional<Speedup>& speedup)
{
    return speedup ? speedup_text(speedup->median) : "-";
}

std::string describe_status(const Measurement& measurement, const MeasureConfig& measure)
{
    if (!measurement.ok())
        return to_string(measurement.status);
    std::string marks;
    if (is_noisy(measurement, measure))
        marks = "noisy, CV " + fixed(100 * measurement.stats.cv, 0) + "%";
    if (taken_under_load(measurement))
        marks += (marks.empty() ? "" : "; ") + std::string("under load");
    // Its own samples give no interval: every speedup it is a side of has none either.
    const IntervalVerdict verdict = interval_verdict(measurement);
    if (verdict == IntervalVerdict::too_few_samples)
        marks += (marks.empty() ? "" : "; ") + no_interval_text(verdict) + ": " + std::to_string(measurement.stats.n);
    else if (verdict == IntervalVerdict::time_slice_grid)
        marks += (marks.empty() ? "" : "; ") + no_interval_text(verdict);
    return marks.empty() ? "ok" : "ok (" + marks + ")";
}

} // namespace compilescope::cli
