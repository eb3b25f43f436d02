#include "results_table.h"

#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"

#include "measurement_text.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace compilescope::cli {

namespace {

using Row = std::vector<std::string>;

std::string speedup_interval(const std::optional<Speedup>& speedup)
{
    if (speedup && speedup->interval != IntervalVerdict::counts)
        return no_interval_text(speedup->interval); // docs/statistics.md: too few samples, time-slice grid
    if (!speedup || !std::isfinite(speedup->ci_low) || !std::isfinite(speedup->ci_high))
        return "-";
    return fixed(speedup->ci_low, 2) + "-" + fixed(speedup->ci_high, 2);
}

Row row_of(const RunResult& run, const Measurement& m)
{
    const bool timed = m.ok() && m.stats.n > 0;
    const bool baseline = m.variant == speedup_baseline(run);
    const auto speedup = baseline ? std::nullopt : speedup_over_baseline(run, m);
    Row row { to_string(m.cell.workload) };
    for (std::string& value : cell_column_values(run.config, m.cell))
        row.push_back(std::move(value));
    Row rest {
        to_string(m.phase),
        variant_label(m.variant),
        timed ? mean_std_text(m.stats) : "-",
        timed ? ms_text(m.stats.median_ms) : "-",
        timed ? std::to_string(m.stats.n) : "-",
        speedup_or_dash(speedup),
        speedup_interval(speedup),
        describe_status(m, run.config.measure),
    };
    row.insert(row.end(), rest.begin(), rest.end());
    return row;
}

std::string render(const std::vector<Row>& rows)
{
    std::vector<size_t> widths(rows.front().size(), 0);
    // "±" is two bytes but one column wide; count code points so columns line up.
    const auto columns_of = [](const std::string& text) {
        return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    };
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], columns_of(row[i]));
    }
    std::string text;
    for (const auto& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(widths[i] - columns_of(row[i]) + 2, ' ');
        }
        text += line + "\n";
    }
    return text;
}

} // namespace

std::string results_table(const RunResult& run)
{
    Row header { "workload" };
    for (std::string& name : cell_column_names(run.config))
        header.push_back(std::move(name));
    for (const char* name : { "phase", "variant", "mean±std (ms)", "median (ms)", "n", "speedup", "95% CI", "status" })
        header.emplace_back(name);
    std::vector<Row> rows { header };
    std::string reasons;
    int cancelled = 0;
    for (const auto& m : run.measurements) {
        // A cancelled sweep lists every measurement it did not run; one count says more than a row for each.
        if (m.status == MeasurementStatus::cancelled) {
            ++cancelled;
            continue;
        }
        rows.push_back(row_of(run, m));
        if (!m.ok() && !m.message.empty())
            reasons += "  " + to_string(m.status) + ": " + measurement_label(m, BatchInLabel::shown) + ": " + m.message
                + "\n";
    }

    std::string text = rows.size() == 1 ? "No measurement finished.\n" : render(rows);
    if (!reasons.empty())
        text += "\nFailed, skipped or unavailable:\n" + reasons;
    if (run.cancelled || cancelled > 0)
        text += "\nCancelled: the sweep stopped early; " + std::to_string(cancelled)
            + " planned measurements did not finish and are not shown.\n";
    return text;
}

} // namespace compilescope::cli
