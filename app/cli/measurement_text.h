// The CLI's words for a measurement's outcome, shared by the progress lines and the results table; numbers and
// labels come from compilescope/text_format.h.
#pragma once

#include "compilescope/results.h"

#include <optional>
#include <string>

namespace compilescope::cli {

/// "1.02x", or "-" when there is no speedup (the baseline itself, or no baseline measured).
std::string speedup_or_dash(const std::optional<Speedup>& speedup);

/// "ok", "ok (noisy, CV 12%)", "ok (under load)", "ok (too few samples: 3)", "ok (time-slice grid)", "failed", ...
std::string describe_status(const Measurement& measurement, const MeasureConfig& measure);

} // namespace compilescope::cli
