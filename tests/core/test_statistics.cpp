#include "compilescope/statistics.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace compilescope;
using Catch::Detail::Approx;

// Expected values computed with Python's statistics module (stdev is the n-1 sample deviation;
// quantiles(method="inclusive") is numpy.percentile's default linear interpolation).

TEST_CASE("summarize: odd number of samples", "[statistics]")
{
    const Stats stats = summarize({ 5, 1, 4, 2, 3 });
    CHECK(stats.n == 5);
    CHECK(stats.mean_ms == Approx(3.0));
    CHECK(stats.std_ms == Approx(1.5811388300841898));
    CHECK(stats.median_ms == Approx(3.0));
    CHECK(stats.q1_ms == Approx(2.0));
    CHECK(stats.q3_ms == Approx(4.0));
    CHECK(stats.iqr_ms() == Approx(2.0));
    CHECK(stats.min_ms == 1.0);
    CHECK(stats.max_ms == 5.0);
    CHECK(stats.cv == Approx(0.5270462766947299));
    CHECK(stats.sem_ms() == Approx(0.7071067811865476));
}

TEST_CASE("summarize: even count interpolates quartiles and median", "[statistics]")
{
    // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) == [1.75, 2.5, 3.25]
    const Stats stats = summarize({ 4, 3, 2, 1 });
    CHECK(stats.median_ms == Approx(2.5));
    CHECK(stats.q1_ms == Approx(1.75));
    CHECK(stats.q3_ms == Approx(3.25));
    CHECK(stats.std_ms == Approx(1.2909944487358056));
}

TEST_CASE("summarize: timing-like samples", "[statistics]")
{
    // statistics.stdev / quantiles(method="inclusive") of these 7 values.
    const Stats stats = summarize({ 227.1, 231.9, 219.4, 240.2, 225.0, 222.8, 226.5 });
    CHECK(stats.mean_ms == Approx(227.55714285714285));
    CHECK(stats.std_ms == Approx(6.779099532842869));
    CHECK(stats.median_ms == Approx(226.5));
    CHECK(stats.q1_ms == Approx(223.9));
    CHECK(stats.q3_ms == Approx(229.5));
    CHECK(stats.cv == Approx(6.779099532842869 / 227.55714285714285));
}

TEST_CASE("summarize: empty and single samples", "[statistics]")
{
    const Stats empty = summarize({});
    CHECK(empty.n == 0);
    CHECK(empty.mean_ms == 0);
    CHECK(empty.sem_ms() == 0);

    const Stats one = summarize({ 2.5 });
    CHECK(one.n == 1);
    CHECK(one.mean_ms == 2.5);
    CHECK(one.std_ms == 0);
    CHECK(one.median_ms == 2.5);
    CHECK(one.q1_ms == 2.5);
    CHECK(one.q3_ms == 2.5);
    CHECK(one.cv == 0);
}

namespace {

Stats make_stats(int n, double mean, double cv)
{
    Stats stats;
    stats.n = n;
    stats.mean_ms = mean;
    stats.median_ms = mean;
    stats.cv = cv;
    stats.std_ms = cv * mean;
    return stats;
}

} // namespace

TEST_CASE("speedup: ratio of means and medians", "[statistics]")
{
    Stats baseline = make_stats(10, 10.0, 0.1);
    Stats variant = make_stats(10, 5.0, 0.1);
    baseline.median_ms = 9.0;
    variant.median_ms = 3.0;
    const Speedup result = speedup(baseline, variant);
    CHECK(result.mean == Approx(2.0));
    CHECK(result.median == Approx(3.0));
}

TEST_CASE("speedup: confidence interval by the delta method", "[statistics]")
{
    // n = 10 on both sides with CV 0.1: Var(log ratio) = 2 * 0.01 / 10 = 0.002; Welch-Satterthwaite
    // df = 0.002^2 / (2 * 0.001^2 / 9) = 18; t_0.975(18) = 2.1009.
    const Speedup result = speedup(make_stats(10, 10.0, 0.1), make_stats(10, 5.0, 0.1));
    const double half_width = 2.1009 * std::sqrt(0.002);
    CHECK(result.mean_ci_low == Approx(2.0 * std::exp(-half_width)).epsilon(1e-9));
    CHECK(result.mean_ci_high == Approx(2.0 * std::exp(half_width)).epsilon(1e-9));
}

TEST_CASE("speedup: interval sanity", "[statistics]")
{
    const Speedup equal = speedup(make_stats(20, 4.0, 0.05), make_stats(20, 4.0, 0.05));
    CHECK(equal.mean == Approx(1.0));
    CHECK(equal.mean_ci_low < 1.0);
    CHECK(equal.mean_ci_high > 1.0);
    // Symmetric on the log scale: 1/low == high for a ratio of 1.
    CHECK(equal.mean_ci_high == Approx(1.0 / equal.mean_ci_low));

    // More samples, narrower interval; more noise, wider interval.
    const Speedup few = speedup(make_stats(5, 10.0, 0.1), make_stats(5, 8.0, 0.1));
    const Speedup many = speedup(make_stats(500, 10.0, 0.1), make_stats(500, 8.0, 0.1));
    const Speedup noisy = speedup(make_stats(5, 10.0, 0.3), make_stats(5, 8.0, 0.3));
    CHECK(many.mean_ci_high - many.mean_ci_low < few.mean_ci_high - few.mean_ci_low);
    CHECK(noisy.mean_ci_high - noisy.mean_ci_low > few.mean_ci_high - few.mean_ci_low);
    for (const Speedup& s : { few, many, noisy }) {
        CHECK(s.mean_ci_low < s.mean);
        CHECK(s.mean < s.mean_ci_high);
    }
    // With many samples the t quantile approaches the normal 1.96.
    const double half_width = std::log(many.mean_ci_high / many.mean);
    CHECK(half_width / std::sqrt(2 * 0.01 / 500) == Approx(1.9623).epsilon(1e-3));

    // No spread: the interval collapses onto the ratio.
    const Speedup exact = speedup(make_stats(3, 6.0, 0.0), make_stats(3, 2.0, 0.0));
    CHECK(exact.mean_ci_low == Approx(3.0));
    CHECK(exact.mean_ci_high == Approx(3.0));
}

TEST_CASE("speedup: too few samples leave the interval unknown", "[statistics]")
{
    const Speedup one_sample = speedup(make_stats(1, 10.0, 0.0), make_stats(5, 5.0, 0.1));
    CHECK(one_sample.mean == Approx(2.0));
    CHECK(std::isnan(one_sample.mean_ci_low));
    CHECK(std::isnan(one_sample.mean_ci_high));

    const Speedup empty = speedup(Stats {}, make_stats(5, 5.0, 0.1));
    CHECK(std::isnan(empty.mean));
}

TEST_CASE("speedup: the summaries alone give no median interval", "[statistics]")
{
    const Speedup result = speedup(make_stats(10, 10.0, 0.1), make_stats(10, 5.0, 0.1));
    CHECK(std::isnan(result.ci_low));
    CHECK(std::isnan(result.ci_high));
}

TEST_CASE("median ratio interval: a skewed sample moves the mean, not the median", "[statistics][bootstrap]")
{
    // The variant is 2x faster on every ordinary iteration; two preempted iterations are 20x slower.
    std::vector<double> baseline(30, 10.0);
    std::vector<double> variant(30, 5.0);
    for (size_t i = 0; i < baseline.size(); ++i) {
        baseline[i] += 0.01 * double(i % 7);
        variant[i] += 0.01 * double(i % 5);
    }
    variant[3] = variant[17] = 100.0;
    const Speedup result = speedup(baseline, variant);
    CHECK(result.median == Approx(2.0).epsilon(0.01));
    CHECK(result.mean < 1.5); // the mean ratio says "barely faster"
    CHECK(result.ci_low > 1.9); // the median's interval stays near 2x and excludes 1
    CHECK(result.ci_high < 2.1);
    CHECK(result.ci_low <= result.median);
    CHECK(result.median <= result.ci_high);
}

TEST_CASE("median ratio interval: overlapping samples include 1", "[statistics][bootstrap]")
{
    const std::vector<double> baseline { 1.0, 1.2, 0.9, 1.1, 1.05, 0.95, 1.3, 0.85 };
    const std::vector<double> variant { 1.1, 0.9, 1.0, 1.15, 0.92, 1.08, 0.88, 1.25 };
    const Interval interval = median_ratio_interval(baseline, variant);
    CHECK(interval.low < 1.0);
    CHECK(interval.high > 1.0);
}

TEST_CASE("median ratio interval: deterministic, and narrower with more samples", "[statistics][bootstrap]")
{
    auto spread = [](size_t n, double centre) {
        std::vector<double> samples;
        for (size_t i = 0; i < n; ++i)
            samples.push_back(centre * (1.0 + 0.2 * (double(i * 7919 % 101) / 100.0 - 0.5)));
        return samples;
    };
    const Interval few = median_ratio_interval(spread(8, 10.0), spread(9, 5.0));
    const Interval again = median_ratio_interval(spread(8, 10.0), spread(9, 5.0));
    const Interval many = median_ratio_interval(spread(400, 10.0), spread(401, 5.0));
    CHECK(few.low == again.low);
    CHECK(few.high == again.high);
    CHECK(many.high - many.low < few.high - few.low);
    const double ratio = speedup(spread(400, 10.0), spread(401, 5.0)).median;
    CHECK(many.low <= ratio);
    CHECK(ratio <= many.high);
}

TEST_CASE("median ratio interval: fewer than two samples give none", "[statistics][bootstrap]")
{
    CHECK(std::isnan(median_ratio_interval({ 1.0 }, { 1.0, 2.0 }).low));
    CHECK(std::isnan(median_ratio_interval({ 1.0, 2.0 }, {}).high));
    const Interval constant = median_ratio_interval({ 4.0, 4.0, 4.0 }, { 2.0, 2.0 });
    CHECK(constant.low == Approx(2.0));
    CHECK(constant.high == Approx(2.0));
}
