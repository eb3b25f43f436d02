#include "measurement_text.h"

#include "compilescope/text_format.h"

namespace compilescope::cli {

std::string speedup_or_dash(const std::optional<Speedup>& speedup)
{
    return speedup ? speedup_text(speedup->median) : "-";
}

std::string describe_status(const Measurement& measurement, const MeasureConfig& measure)
{
    if (measurement.ok() && is_noisy(measurement, measure))
        return "ok (noisy, CV " + fixed(100 * measurement.stats.cv, 0) + "%)";
    return to_string(measurement.status);
}

} // namespace compilescope::cli
