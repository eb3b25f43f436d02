// Selecting and ordering a run's measurements for the charts.
#pragma once

#include "chart_widget.h"
#include "compilescope/results.h"
#include "run_index.h"

#include <QVector>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace compilescope {

bool inView(const Measurement& measurement, const ChartView& view);

/// The distinct d_model / seq_len values of a view's measurements in `runs` (null entries skipped), ascending.
std::vector<int64_t> viewDModels(const std::vector<const RunResult*>& runs, const ChartView& view);
std::vector<int64_t> viewSeqLens(const std::vector<const RunResult*>& runs, const ChartView& view);

/// The successful measurements of one d_model and variant in a view, by ascending seq_len.
std::vector<const Measurement*> series(
    const RunIndex& run, const ChartView& view, int64_t d_model, const std::string& variant);

/// A latency point and its bar: the median between the quartiles, or the mean plus and minus one standard deviation
/// clipped to the fastest and slowest iterations (a log axis must never show a bar below the fastest one).
struct LatencyPoint {
    double value = 0;
    double low = 0;
    double high = 0;
    /// counts, or why the measurement's samples carry no bar (interval_verdict): then low == high == value.
    IntervalVerdict interval = IntervalVerdict::counts;
};
LatencyPoint latencyPoint(const Stats& stats, Centre centre);
/// The same with the measurement's interval_verdict(): no bar from too few samples or a time-slice grid.
LatencyPoint latencyPoint(const Measurement& measurement, Centre centre);

/// A speedup in the chosen statistic with its 95% interval, and how far to trust it: `interval` when the interval
/// does not count (too few samples, a time-slice grid: then low == high == value), `includes_one` when the interval
/// includes 1.0x, `noisy` when the variant's or the speedup baseline's timings are noisy in that statistic (median:
/// IQR / median, mean: CV, over MeasureConfig::noise_cv_threshold). Charts mark the first apart and draw the others
/// hollow or neutral, pale or hatched, so that noise never looks like a result.
struct SpeedupPoint {
    double value = 0;
    double low = 0;
    double high = 0;
    IntervalVerdict interval = IntervalVerdict::counts;
    bool includes_one = false;
    bool noisy = false;
    /// The variant or its speedup baseline was measured under load (taken_under_load): charts ring it.
    bool under_load = false;

    bool withheld() const { return interval != IntervalVerdict::counts; }
    bool uncertain() const { return withheld() || includes_one || noisy; }
};
std::optional<SpeedupPoint> speedupPoint(const RunIndex& run, const Measurement& measurement, Centre centre);
/// The same for a run without an index at hand (it indexes `run`: not for use per point).
std::optional<SpeedupPoint> speedupPoint(const RunResult& run, const Measurement& measurement, Centre centre);

/// The variants whose colour and marker a chart assigns by position: the run's, then the comparison run's others.
std::vector<std::string> styledVariants(const RunResult& run, const RunResult& comparison);
/// A variant's position in styledVariants().
size_t styleIndex(const std::vector<std::string>& styled, const std::string& variant);

/// For a speedup's tooltip: a line for each of `variant` and its speedup `baseline` (may be null) measured under
/// load, saying which and how busy the machine was; empty when neither was.
QString underLoadTooltip(const Measurement& variant, const Measurement* baseline);

/// "median" or "mean", for labels and tooltips.
QString centreName(Centre centre);

/// Fixed x ticks at the swept seq_len values.
void setSeqLenTicks(QCPAxis* axis, const std::vector<int64_t>& seq_lens);

} // namespace compilescope
