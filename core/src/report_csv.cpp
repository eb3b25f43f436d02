#include "compilescope/reports.h"

#include "compilescope/text_format.h"

namespace compilescope {

namespace {

// RFC 4180: a field holding a comma, a double quote or a line break is enclosed in double quotes, and quotes
// inside it are doubled.
std::string csv_field(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string csv_row(const std::vector<std::string>& fields)
{
    std::string line;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        line += csv_field(fields[i]);
    }
    return line + "\r\n"; // RFC 4180 line break
}

std::string optional_field(const std::optional<double>& value)
{
    return value ? round_trip(*value) : std::string();
}

} // namespace

std::string to_csv(const RunResult& run)
{
    std::vector<std::string> header { "workload" };
    for (const std::string& name : cell_column_names(run.config))
        header.push_back(name);
    for (const char* name : { "phase", "variant", "status", "mean_ms", "std_ms", "median_ms", "q1_ms", "q3_ms",
             "min_ms", "max_ms", "n", "cv", "speedup_median", "speedup_median_ci_low", "speedup_median_ci_high",
             "speedup_mean", "speedup_mean_ci_low", "speedup_mean_ci_high", "interval_verdict", "compile_ms",
             "first_call_ms", "peak_memory_bytes", "max_rel_error", "message" })
        header.emplace_back(name);
    std::string text = csv_row(header);
    for (const Measurement& measurement : run.measurements) {
        std::vector<std::string> row { to_string(measurement.cell.workload) };
        for (const std::string& value : cell_column_values(run.config, measurement.cell))
            row.push_back(value);
        row.push_back(to_string(measurement.phase));
        row.push_back(measurement.variant);
        row.push_back(to_string(measurement.status));
        // Empty fields mean "no value": untimed measurements, speedups without a baseline, unmeasured memory.
        const Stats& stats = measurement.stats;
        if (stats.n > 0) {
            for (double value :
                { stats.mean_ms, stats.std_ms, stats.median_ms, stats.q1_ms, stats.q3_ms, stats.min_ms, stats.max_ms })
                row.push_back(round_trip(value));
            row.push_back(std::to_string(stats.n));
            row.push_back(round_trip(stats.cv));
        } else {
            row.insert(row.end(), 9, std::string());
        }
        // An interval that does not count (docs/statistics.md) leaves its columns empty and says why in
        // interval_verdict: the ratio's (both sides'), or the measurement's own when it has no ratio.
        const auto ratio = speedup_over_baseline(run, measurement);
        if (ratio) {
            for (double value :
                { ratio->median, ratio->ci_low, ratio->ci_high, ratio->mean, ratio->mean_ci_low, ratio->mean_ci_high })
                row.push_back(round_trip(value));
            row.push_back(to_string(ratio->interval));
        } else {
            row.insert(row.end(), 6, std::string());
            row.push_back(stats.n > 0 && measurement.ok() ? to_string(interval_verdict(measurement)) : "");
        }
        row.push_back(optional_field(measurement.compile_ms));
        row.push_back(optional_field(measurement.first_call_ms));
        row.push_back(measurement.peak_memory_bytes > 0 ? std::to_string(measurement.peak_memory_bytes) : "");
        row.push_back(measurement.correctness.checked ? round_trip(measurement.correctness.max_rel_error) : "");
        row.push_back(measurement.message);
        text += csv_row(row);
    }
    return text;
}

} // namespace compilescope
