#include "compilescope/text_format.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <sstream>

namespace compilescope {

namespace {

std::string printf_text(const char* format, double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

} // namespace

std::string fixed(double value, int decimals)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

namespace {

/// Decimals that give `value` three significant digits (at most 6, none beyond the units from 100 up).
int three_digit_decimals(double value)
{
    if (!(std::abs(value) > 0))
        return 2;
    const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value))));
    return std::clamp(2 - magnitude, 0, 6);
}

} // namespace

std::string ms_text(double milliseconds)
{
    return fixed(milliseconds, three_digit_decimals(milliseconds));
}

std::string mean_std_text(const Stats& stats)
{
    const int decimals = three_digit_decimals(stats.mean_ms);
    return fixed(stats.mean_ms, decimals) + "±" + fixed(stats.std_ms, decimals);
}

std::string mean_std(const Stats& stats)
{
    return fixed(stats.mean_ms, 2) + "±" + fixed(stats.std_ms, 1);
}

std::string speedup_text(double ratio)
{
    return std::isfinite(ratio) ? fixed(ratio, 2) + "x" : no_value;
}

std::string interval_text(double low, double high)
{
    if (!std::isfinite(low) || !std::isfinite(high))
        return no_value;
    return "[" + speedup_text(low) + ", " + speedup_text(high) + "]";
}

std::string no_interval_text(IntervalVerdict verdict)
{
    switch (verdict) {
    case IntervalVerdict::counts:
        return {};
    case IntervalVerdict::too_few_samples:
        return "too few samples";
    case IntervalVerdict::time_slice_grid:
        return "time-slice grid";
    }
    return {};
}

std::string no_interval_reason(IntervalVerdict verdict)
{
    switch (verdict) {
    case IntervalVerdict::counts:
        return {};
    case IntervalVerdict::too_few_samples:
        return "fewer than " + std::to_string(min_samples_for_interval) + " samples on a side: too few for an interval";
    case IntervalVerdict::time_slice_grid:
        return "a side's samples sit on the scheduler's time-slice grid: the timing is the scheduler's, not the "
               "workload's";
    }
    return {};
}

std::string time_slice_text(double step_ms)
{
    return fixed(step_ms, std::abs(step_ms - std::round(step_ms)) < 0.005 ? 0 : 2) + " ms";
}

std::string median_interval_text(const Speedup& speedup)
{
    return speedup.interval == IntervalVerdict::counts ? interval_text(speedup.ci_low, speedup.ci_high)
                                                       : no_interval_text(speedup.interval);
}

std::string mean_interval_text(const Speedup& speedup)
{
    return speedup.interval == IntervalVerdict::counts ? interval_text(speedup.mean_ci_low, speedup.mean_ci_high)
                                                       : no_interval_text(speedup.interval);
}

std::string percent(double fraction)
{
    return fixed(fraction * 100.0, 1) + "%";
}

std::string mebibytes(int64_t bytes)
{
    return fixed(static_cast<double>(bytes) / (1024.0 * 1024.0), 1);
}

std::string bytes_text(int64_t bytes)
{
    constexpr double kib = 1024.0;
    const double value = static_cast<double>(bytes);
    if (value < kib)
        return std::to_string(bytes) + " B";
    if (value < kib * kib)
        return fixed(value / kib, 1) + " KiB";
    if (value < kib * kib * kib)
        return fixed(value / (kib * kib), 1) + " MiB";
    return fixed(value / (kib * kib * kib), 2) + " GiB";
}

std::string duration_text(double seconds)
{
    const long total = std::lround(std::max(0.0, seconds));
    const auto two_digits = [](long value) { return (value < 10 ? "0" : "") + std::to_string(value); };
    if (total < 60)
        return std::to_string(total) + " s";
    if (total < 3600)
        return std::to_string(total / 60) + " min " + two_digits(total % 60) + " s";
    return std::to_string(total / 3600) + " h " + two_digits(total % 3600 / 60) + " min";
}

std::string approximate_duration_text(double seconds)
{
    const double s = std::max(0.0, seconds);
    if (s < 10)
        return std::to_string(std::lround(s)) + " s";
    if (s < 57.5)
        return std::to_string(5 * std::lround(s / 5)) + " s";
    if (s < 3570)
        return std::to_string(std::max(1L, std::lround(s / 60))) + " min";
    const long tens = std::lround(s / 600); // tens of minutes
    return std::to_string(tens / 6) + " h" + (tens % 6 ? " " + std::to_string(tens % 6 * 10) + " min" : "");
}

std::string shortened(const std::string& text, size_t length)
{
    return text.size() <= length ? text : text.substr(0, length) + "…";
}

std::string rate(double per_second, const std::string& unit, TrailingZeros zeros)
{
    static const char* const prefixes[] = { "", "k", "M", "G", "T", "P", "E" };
    size_t prefix = 0;
    while (std::abs(per_second) >= 999.5 && prefix + 1 < std::size(prefixes)) {
        per_second /= 1000.0;
        ++prefix;
    }
    const int decimals = std::abs(per_second) >= 99.95 ? 0 : std::abs(per_second) >= 9.995 ? 1 : 2;
    std::string number = fixed(per_second, decimals);
    if (zeros == TrailingZeros::dropped && decimals > 0) {
        number.erase(number.find_last_not_of('0') + 1);
        if (number.back() == '.')
            number.pop_back();
    }
    return number + " " + prefixes[prefix] + unit;
}

std::string scientific(double value)
{
    return printf_text("%.2e", value);
}

std::string round_trip(double value)
{
    if (!std::isfinite(value))
        return {};
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string join(const std::vector<std::string>& items, const std::string& separator)
{
    std::string joined;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            joined += separator;
        joined += items[i];
    }
    return joined;
}

std::string int_list(const std::vector<int64_t>& values, const std::string& separator)
{
    std::vector<std::string> items;
    items.reserve(values.size());
    for (int64_t value : values)
        items.push_back(std::to_string(value));
    return join(items, separator);
}

std::string plain_number(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

std::string cell_label(const CellKey& cell, BatchInLabel batch)
{
    if (cell.workload == Workload::model_file) {
        std::string label = to_string(cell.workload);
        for (const AxisValue& axis : cell.point)
            label += " " + axis.name + "=" + std::to_string(axis.value);
        return label;
    }
    return to_string(cell.workload) + (batch == BatchInLabel::shown ? " batch=" + std::to_string(cell.batch) : "")
        + " d_model=" + std::to_string(cell.d_model) + " seq_len=" + std::to_string(cell.seq_len);
}

std::vector<std::string> cell_column_names(const SweepConfig& config)
{
    if (config.model_file.path.empty())
        return { "batch", "d_model", "seq_len" };
    std::vector<std::string> names;
    for (const ModelAxis& axis : config.model_file.axes)
        names.push_back(axis.name);
    return names;
}

std::vector<std::string> cell_column_values(const SweepConfig& config, const CellKey& cell)
{
    if (config.model_file.path.empty())
        return { std::to_string(cell.batch), std::to_string(cell.d_model), std::to_string(cell.seq_len) };
    std::vector<std::string> values;
    for (const ModelAxis& axis : config.model_file.axes) {
        const auto at = std::find_if(
            cell.point.begin(), cell.point.end(), [&axis](const AxisValue& value) { return value.name == axis.name; });
        values.push_back(at == cell.point.end() ? "-" : std::to_string(at->value));
    }
    return values;
}

std::string measurement_label(const CellKey& cell, Phase phase, const std::string& variant, BatchInLabel batch)
{
    return cell_label(cell, batch) + " " + to_string(phase) + " " + variant;
}

std::string measurement_label(const Measurement& measurement, BatchInLabel batch)
{
    return measurement_label(measurement.cell, measurement.phase, measurement.variant, batch);
}

std::string phase_words(Phase phase)
{
    std::string words = display_name(phase);
    for (char& c : words)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return words;
}

std::string describe(const CellKey& cell, Phase phase)
{
    if (cell.workload == Workload::transformer_lm)
        return to_string(cell.workload) + " " + phase_words(phase);
    if (cell.workload == Workload::model_file) {
        std::string text = to_string(cell.workload) + " " + phase_words(phase);
        for (const AxisValue& axis : cell.point)
            text += ", " + axis.name + " " + std::to_string(axis.value);
        return text;
    }
    return to_string(cell.workload) + " " + phase_words(phase) + ", d_model " + std::to_string(cell.d_model)
        + ", seq_len " + std::to_string(cell.seq_len);
}

std::string seed_date(const std::string& iso_timestamp)
{
    // "2025-05-30T20:59:08+02:00" -> "2025-05-30 20:59:08"; the offset is kept in the extended Run section.
    if (iso_timestamp.size() < 19 || iso_timestamp[10] != 'T')
        return iso_timestamp.empty() ? no_value : iso_timestamp;
    std::string date = iso_timestamp.substr(0, 19);
    date[10] = ' ';
    return date;
}

} // namespace compilescope
