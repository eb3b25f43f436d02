// Summary statistics of timing samples and the speedup between two of them. Pure functions.
#pragma once

#include "compilescope/types.h"

#include <optional>
#include <vector>

namespace compilescope {

struct Stats {
    int n = 0;
    double mean_ms = 0;
    double std_ms = 0; ///< sample standard deviation (n - 1)
    double median_ms = 0;
    double q1_ms = 0; ///< 25th percentile (linear interpolation, as numpy's default)
    double q3_ms = 0; ///< 75th percentile
    double min_ms = 0;
    double max_ms = 0;
    double cv = 0; ///< std / mean

    double iqr_ms() const { return q3_ms - q1_ms; }
    /// Standard error of the mean.
    double sem_ms() const;
};

/// Summarises samples (milliseconds). An empty input gives n == 0 and zeros.
Stats summarize(const std::vector<double>& samples_ms);

/// An interval (a speedup's 95% CI, a latency's bar) from fewer samples than this on a side is not shown as an
/// interval: three samples that happen to agree, or that sit on the scheduler's 4-ms grid, give "1.09x (95% CI
/// 1.09x-1.09x)" (issue 25). Below 9 samples the only distribution-free 95% interval of a median is none (5 or
/// fewer) or the whole range from the fastest to the slowest sample (6 to 8), so a narrower one claims more than
/// the samples hold (docs/statistics.md, "Too few samples"). MeasureConfig::min_iters defaults to it.
inline constexpr int min_samples_for_interval = 10;

/// Samples on the scheduler's time-slice grid: the process was descheduled for whole ticks of the kernel's clock,
/// so the timing is the scheduler's, not the workload's (issue 25: one cell took 0.08 ms alone and 43.89 / 47.97 /
/// 51.98 ms under load).
struct TimeSliceGrid {
    double step_ms = 0; ///< the tick: 10, 4, 3.33 or 1 ms (the kernel's CONFIG_HZ 100, 250, 300 or 1000)
    int on_grid = 0; ///< samples within 7.5% of a step of one grid
    int lifted = 0; ///< of those, the ones whole steps above the grid's lowest occupied level
    int levels = 0; ///< distinct levels (whole steps) the on-grid samples occupy
    int n = 0; ///< all samples
};

/// Whether the samples sit on a time-slice grid (docs/statistics.md, "Time-slice grid"). For each tick, largest
/// first: the largest set of samples that agree modulo the tick within 7.5% of it, and the levels it spans. A claim
/// needs at least min_samples_for_interval samples, four in five of them on one grid, over at least three levels
/// holding one and a half samples each on average, and a quarter of all samples (three at least) whole steps above
/// the lowest level: a sub-millisecond workload preempted now and then, or an ordinary spread, makes no claim.
/// Cached: charts ask on every repaint.
std::optional<TimeSliceGrid> time_slice_grid(const std::vector<double>& samples_ms);

/// The one rule for showing an interval from a measurement's `n` samples (`samples_ms`, possibly empty when a run
/// file lacks them): too_few_samples under min_samples_for_interval, time_slice_grid when time_slice_grid() claims
/// one, else counts.
IntervalVerdict interval_verdict(int n, const std::vector<double>& samples_ms);

/// A ratio's rule: the first side's verdict that is not counts (the baseline's first), else counts.
IntervalVerdict interval_verdict(IntervalVerdict baseline, IntervalVerdict variant);

/// The headline figure is the ratio of medians: timing samples are skewed (a preempted iteration is ten times the
/// others), which moves a mean and its normal-theory interval but hardly a median.
struct Speedup {
    double mean = 0; ///< baseline.mean / variant.mean, as the seed report does
    double median = 0; ///< baseline.median / variant.median: the figure charts and verdicts use
    double ci_low = 0; ///< 95% bootstrap interval of the median ratio (median_ratio_interval)
    double ci_high = 0;
    double mean_ci_low = 0; ///< 95% interval of the mean ratio (delta method on the log ratio)
    double mean_ci_high = 0;
    /// Whether the intervals count; when not, all four are NaN, and front ends say why in their place.
    IntervalVerdict interval = IntervalVerdict::counts;
};

/// Ratios and the mean ratio's interval from summaries alone (ci_low/ci_high stay NaN: they need the samples).
/// Every field is NaN when either side has no samples or a mean <= 0; the intervals are NaN, and `interval` is
/// too_few_samples, when either side has fewer than min_samples_for_interval samples.
Speedup speedup(const Stats& baseline, const Stats& variant);

/// speedup(summarize(baseline), summarize(variant)) plus the median ratio's bootstrap interval; no interval when
/// either side's verdict (interval_verdict) is not counts.
Speedup speedup(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms);

/// `ratio` with its intervals withheld (NaN) for `verdict`, unless that is counts.
Speedup without_interval(Speedup ratio, IntervalVerdict verdict);

struct Interval {
    double low = 0;
    double high = 0;
};

/// Percentile-bootstrap 95% interval of median(baseline) / median(variant), resampling each side independently
/// (docs/statistics.md). Exact and cheap: the median of a resample of n sorted values is an order statistic whose
/// index is drawn from a Beta distribution, so no resample is materialised. Seeded from the sample counts, so the
/// same samples always give the same interval. NaN when either side has fewer than 2 samples. The arithmetic only:
/// whether the interval may be shown is interval_verdict()'s to say, which speedup() asks.
Interval median_ratio_interval(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms);

} // namespace compilescope
