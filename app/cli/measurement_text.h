// Short plain-text renderings of measurements, shared by the progress lines and the results table.
#pragma once

#include "compilescope/results.h"

#include <optional>
#include <string>

namespace compilescope::cli {

/// Milliseconds with three significant digits and no exponent ("0.0523", "12.3", "1234").
std::string format_ms(double ms);

/// "0.0523±0.0012" with both numbers at the mean's precision.
std::string format_mean_std(const Stats& stats);

/// "1.02x", or "-" when there is no speedup.
std::string format_speedup(const std::optional<Speedup>& speedup);

/// "attention batch=8 d_model=64 seq_len=1024".
std::string describe_cell(const CellKey& cell);

/// The cell, the phase and the variant: "attention batch=8 d_model=64 seq_len=1024 forward torchscript".
std::string describe_measurement(const Measurement& measurement);

/// "ok", "ok (noisy, CV 12%)", "failed", "skipped", ...
std::string describe_status(const Measurement& measurement, const MeasureConfig& measure);

} // namespace compilescope::cli
