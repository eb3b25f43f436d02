// Summary statistics of timing samples and the speedup between two of them. Pure functions.
#pragma once

#include <vector>

namespace compilescope {

struct Stats {
    int n = 0;
    double mean_ms = 0;
    double std_ms = 0;    ///< sample standard deviation (n - 1)
    double median_ms = 0;
    double q1_ms = 0;     ///< 25th percentile (linear interpolation, as numpy's default)
    double q3_ms = 0;     ///< 75th percentile
    double min_ms = 0;
    double max_ms = 0;
    double cv = 0;        ///< std / mean

    double iqr_ms() const { return q3_ms - q1_ms; }
    /// Standard error of the mean.
    double sem_ms() const;
};

/// Summarises samples (milliseconds). An empty input gives n == 0 and zeros.
Stats summarize(const std::vector<double>& samples_ms);

struct Speedup {
    double mean = 0;     ///< baseline.mean / variant.mean, as the seed report does
    double median = 0;   ///< baseline.median / variant.median
    double ci_low = 0;   ///< 95% confidence interval of the mean ratio (delta method on log ratio)
    double ci_high = 0;
};

/// Speedup of `variant` over `baseline` (> 1: variant is faster). Every field is NaN when either side has no
/// samples or a mean <= 0; the interval is NaN when either side has fewer than 2 samples.
Speedup speedup(const Stats& baseline, const Stats& variant);

} // namespace compilescope
