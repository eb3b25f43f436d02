#include "chart_data.h"

#include "chart_style.h"
#include "display_format.h"

#include "compilescope/variant_names.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace compilescope {

namespace {

template <typename Field>
std::vector<int64_t> distinct(const std::vector<const RunResult*>& runs, const ChartView& view, Field field)
{
    std::set<int64_t> values;
    for (const RunResult* run : runs) {
        if (!run)
            continue;
        for (const Measurement& measurement : run->measurements) {
            if (inView(measurement, view))
                values.insert(field(measurement.cell));
        }
    }
    return { values.begin(), values.end() };
}

} // namespace

LatencyPoint latencyPoint(const Stats& stats, Centre centre)
{
    if (centre == Centre::median)
        return { stats.median_ms, stats.q1_ms, stats.q3_ms };
    return { stats.mean_ms, std::max(stats.min_ms, stats.mean_ms - stats.std_ms),
        std::min(stats.max_ms, stats.mean_ms + stats.std_ms) };
}

LatencyPoint latencyPoint(const Measurement& measurement, Centre centre)
{
    LatencyPoint point = latencyPoint(measurement.stats, centre);
    point.interval = interval_verdict(measurement);
    if (point.interval != IntervalVerdict::counts)
        point.low = point.high = point.value;
    return point;
}

std::optional<SpeedupPoint> speedupPoint(const RunResult& run, const Measurement& measurement, Centre centre)
{
    return speedupPoint(RunIndex(run), measurement, centre);
}

std::optional<SpeedupPoint> speedupPoint(const RunIndex& index, const Measurement& measurement, Centre centre)
{
    const RunResult& run = index.run();
    const auto speedup = index.speedupOf(measurement);
    if (!speedup)
        return std::nullopt;
    SpeedupPoint point;
    if (centre == Centre::median)
        point = { speedup->median, speedup->ci_low, speedup->ci_high };
    else
        point = { speedup->mean, speedup->mean_ci_low, speedup->mean_ci_high };
    point.interval = speedup->interval;
    if (!std::isfinite(point.low) || !std::isfinite(point.high))
        point.low = point.high = point.value; // no interval (it does not count, or no samples): none drawn
    // Noisy in the statistic shown: a median's spread is its quartiles' (IQR / median, the robust CV), a mean's its
    // CV; a few preempted iterations make a CV noisy without moving a median or its interval.
    const double threshold = run.config.measure.noise_cv_threshold;
    auto noisy = [&](const Measurement& side) {
        return centre == Centre::median ? side.stats.iqr_ms() > threshold * side.stats.median_ms
                                        : is_noisy(side, run.config.measure);
    };
    const Measurement* baseline = index.baselineOf(measurement);
    point.under_load = taken_under_load(measurement) || (baseline && taken_under_load(*baseline));
    if (measurement.variant == speedup_baseline(run))
        return point;
    // A missing interval that is not withheld (a run file without samples) still claims nothing: within noise.
    point.includes_one
        = !point.withheld() && ((point.low <= 1.0 && 1.0 <= point.high) || !std::isfinite(speedup->ci_low));
    point.noisy = noisy(measurement) || (baseline && noisy(*baseline));
    return point;
}

std::vector<std::string> styledVariants(const RunResult& run, const RunResult& comparison)
{
    std::vector<std::string> styled = variants_in(run);
    for (const std::string& variant : variants_in(comparison)) {
        if (std::find(styled.begin(), styled.end(), variant) == styled.end())
            styled.push_back(variant);
    }
    return styled;
}

size_t styleIndex(const std::vector<std::string>& styled, const std::string& variant)
{
    return static_cast<size_t>(std::find(styled.begin(), styled.end(), variant) - styled.begin());
}

QString underLoadTooltip(const Measurement& variant, const Measurement* baseline)
{
    QString lines;
    for (const Measurement* side : { &variant, baseline }) {
        if (side && taken_under_load(*side))
            lines += QStringLiteral("\n%1: %2")
                         .arg(QString::fromStdString(variant_label(side->variant)), underLoadNote(*side));
    }
    return lines;
}

QString centreName(Centre centre)
{
    return centre == Centre::median ? QStringLiteral("median") : QStringLiteral("mean");
}

bool inView(const Measurement& measurement, const ChartView& view)
{
    return measurement.cell.workload == view.workload && measurement.phase == view.phase;
}

std::vector<int64_t> viewDModels(const std::vector<const RunResult*>& runs, const ChartView& view)
{
    return distinct(runs, view, [](const CellKey& cell) { return cell.d_model; });
}

std::vector<int64_t> viewSeqLens(const std::vector<const RunResult*>& runs, const ChartView& view)
{
    return distinct(runs, view, [](const CellKey& cell) { return cell.seq_len; });
}

std::vector<const Measurement*> series(
    const RunIndex& run, const ChartView& view, int64_t d_model, const std::string& variant)
{
    return run.series(view.workload, view.phase, d_model, variant);
}

void setSeqLenTicks(QCPAxis* axis, const std::vector<int64_t>& seq_lens)
{
    QVector<double> positions;
    QVector<QString> labels;
    for (int64_t seq_len : seq_lens) {
        positions << static_cast<double>(seq_len);
        labels << QString::number(seq_len);
    }
    setFixedTicks(axis, positions, labels);
}

} // namespace compilescope
