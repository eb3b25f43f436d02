#include "estimate_line.h"

#include "compilescope/engine/run_estimate.h"
#include "compilescope/eta_calibration.h"
#include "compilescope/text_format.h"

#include <exception>

namespace compilescope::cli {

RunEstimate estimate_sweep_here(const SweepConfig& config)
{
    DevicePeaks peaks;
    try {
        peaks = device_roofs(config.device, config.dtype);
    } catch (const std::exception&) {
        // No roofs: the estimate says so, and counts each iteration at its dispatch floor.
    }
    return estimate_run(config, peaks);
}

std::string estimate_line(const RunEstimate& estimate, const RunResult* resumed)
{
    std::string line = "compilescope-cli: estimate: ";
    if (resumed) {
        // What finished before takes no time now: the time-left estimate with those marked done.
        EtaCalibration left(estimate);
        int finished = 0;
        for (const Measurement& measurement : resumed->measurements) {
            if (measurement.status == MeasurementStatus::cancelled)
                continue;
            left.finished(measurement.cell, measurement.phase, measurement.variant, false, 0, 0);
            ++finished;
        }
        return line + std::to_string(estimate.measurements - finished) + " measurements left, about "
            + approximate_duration_text(left.remaining_s(0));
    }
    line += std::to_string(estimate.measurements) + (estimate.measurements == 1 ? " measurement" : " measurements");
    if (estimate.seconds <= 0)
        return line;
    line += ", " + estimate_duration_text(estimate);
    const std::string parts = estimate_parts_text(estimate);
    return parts.empty() ? line : line + ": " + parts;
}

std::string memory_line(const RunEstimate& estimate)
{
    std::string line = "compilescope-cli: largest cell: " + bytes_text(estimate.largest_memory_bytes) + " ("
        + estimate.largest_cell + ")";
    if (estimate.memory_limit_bytes > 0)
        line += " of " + bytes_text(estimate.memory_limit_bytes) + " available";
    if (estimate.cells_over_limit > 0)
        line
            += "; " + std::to_string(estimate.cells_over_limit) + " of the cells' phases need more and will be skipped";
    return line;
}

} // namespace compilescope::cli
