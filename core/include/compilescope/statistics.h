// Summary statistics of timing samples and the speedup between two of them. Pure functions.
#pragma once

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

/// The headline figure is the ratio of medians: timing samples are skewed (a preempted iteration is ten times the
/// others), which moves a mean and its normal-theory interval but hardly a median.
struct Speedup {
    double mean = 0; ///< baseline.mean / variant.mean, as the seed report does
    double median = 0; ///< baseline.median / variant.median: the figure charts and verdicts use
    double ci_low = 0; ///< 95% bootstrap interval of the median ratio (median_ratio_interval)
    double ci_high = 0;
    double mean_ci_low = 0; ///< 95% interval of the mean ratio (delta method on the log ratio)
    double mean_ci_high = 0;
};

/// Ratios and the mean ratio's interval from summaries alone (ci_low/ci_high stay NaN: they need the samples).
/// Every field is NaN when either side has no samples or a mean <= 0; the intervals are NaN when either side has
/// fewer than 2 samples.
Speedup speedup(const Stats& baseline, const Stats& variant);

/// speedup(summarize(baseline), summarize(variant)) plus the median ratio's bootstrap interval.
Speedup speedup(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms);

struct Interval {
    double low = 0;
    double high = 0;
};

/// Percentile-bootstrap 95% interval of median(baseline) / median(variant), resampling each side independently
/// (docs/statistics.md). Exact and cheap: the median of a resample of n sorted values is an order statistic whose
/// index is drawn from a Beta distribution, so no resample is materialised. Seeded from the sample counts, so the
/// same samples always give the same interval. NaN when either side has fewer than 2 samples.
Interval median_ratio_interval(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms);

} // namespace compilescope
