#include "compilescope/statistics.h"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <iostream>
#include <iterator>
#include <random>
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
    const Speedup few = speedup(make_stats(10, 10.0, 0.1), make_stats(10, 8.0, 0.1));
    const Speedup many = speedup(make_stats(500, 10.0, 0.1), make_stats(500, 8.0, 0.1));
    const Speedup noisy = speedup(make_stats(10, 10.0, 0.3), make_stats(10, 8.0, 0.3));
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
    const Speedup exact = speedup(make_stats(10, 6.0, 0.0), make_stats(10, 2.0, 0.0));
    CHECK(exact.mean_ci_low == Approx(3.0));
    CHECK(exact.mean_ci_high == Approx(3.0));
}

TEST_CASE("speedup: too few samples leave the interval unknown", "[statistics]")
{
    const Speedup one_sample = speedup(make_stats(1, 10.0, 0.0), make_stats(5, 5.0, 0.1));
    CHECK(one_sample.mean == Approx(2.0));
    CHECK(std::isnan(one_sample.mean_ci_low));
    CHECK(std::isnan(one_sample.mean_ci_high));
    CHECK(one_sample.interval == IntervalVerdict::too_few_samples);

    const Speedup empty = speedup(Stats {}, make_stats(5, 5.0, 0.1));
    CHECK(std::isnan(empty.mean));
}

TEST_CASE("speedup: fewer than min_samples_for_interval on either side give no interval", "[statistics][few]")
{
    const int enough = min_samples_for_interval;
    CHECK(enough == 10);
    for (const auto& [baseline_n, variant_n] :
        { std::pair { enough - 1, enough }, std::pair { enough, enough - 1 }, std::pair { 3, 3 } }) {
        INFO(baseline_n << " and " << variant_n << " samples");
        const Speedup ratio = speedup(make_stats(baseline_n, 10.0, 0.01), make_stats(variant_n, 5.0, 0.01));
        CHECK(ratio.median == Approx(2.0)); // the ratio itself is always given
        CHECK(ratio.interval == IntervalVerdict::too_few_samples);
        CHECK(std::isnan(ratio.mean_ci_low));
        CHECK(std::isnan(ratio.mean_ci_high));
    }
    const Speedup counted = speedup(make_stats(enough, 10.0, 0.01), make_stats(enough, 5.0, 0.01));
    CHECK(counted.interval == IntervalVerdict::counts);
    CHECK(std::isfinite(counted.mean_ci_low));

    // The issue-25 cell: three samples on the 4-ms grid gave "1.09x (95% CI 1.09x-1.09x)". Now no interval at all.
    const Speedup issue
        = speedup(std::vector<double> { 43.89, 47.97, 51.98 }, std::vector<double> { 40.1, 44.0, 48.1 });
    CHECK(issue.interval == IntervalVerdict::too_few_samples);
    CHECK(std::isnan(issue.ci_low));
    CHECK(std::isnan(issue.ci_high));
    CHECK(std::isfinite(issue.median));
}

TEST_CASE("interval_verdict: the one rule, per side and for a ratio", "[statistics][few]")
{
    const std::vector<double> ten(10, 1.0);
    CHECK(interval_verdict(9, ten) == IntervalVerdict::too_few_samples);
    CHECK(interval_verdict(10, ten) == IntervalVerdict::counts);
    CHECK(interval_verdict(12, {}) == IntervalVerdict::counts); // a run file without samples: the count decides
    const auto grid = IntervalVerdict::time_slice_grid;
    const auto few = IntervalVerdict::too_few_samples;
    const auto counts = IntervalVerdict::counts;
    CHECK(interval_verdict(counts, counts) == counts);
    CHECK(interval_verdict(few, grid) == few);
    CHECK(interval_verdict(counts, grid) == grid);
    CHECK(interval_verdict(grid, counts) == grid);
    const Speedup withheld = without_interval(Speedup { 2, 2, 1.9, 2.1, 1.8, 2.2 }, grid);
    CHECK(withheld.median == 2);
    CHECK(withheld.interval == grid);
    CHECK(std::isnan(withheld.ci_low));
    CHECK(std::isnan(withheld.mean_ci_high));
}

namespace {

/// A deterministic uniform number in [-1, 1) from an index (no generator state: the test reads the same each run).
double wobble(size_t i)
{
    return 2 * std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0) - 1;
}

/// Samples `base` plus a whole number of `step`s (cycling through `steps`), each with up to `jitter` either way.
std::vector<double> on_grid(
    size_t n, double base, double step, const std::vector<int>& steps, double jitter, size_t seed = 0)
{
    std::vector<double> samples;
    for (size_t i = 0; i < n; ++i)
        samples.push_back(base + step * steps[i % steps.size()] + jitter * wobble(i + seed));
    return samples;
}

} // namespace

TEST_CASE("time-slice grid: samples in whole ticks are flagged, with the tick", "[statistics][grid]")
{
    // The issue's cell, with more samples: 0.08 ms of work, the rest whole 4-ms ticks, 0.1 ms of jitter.
    const auto issue = time_slice_grid(on_grid(20, 0.08, 4.0, { 11, 12, 13, 12, 11 }, 0.1));
    REQUIRE(issue);
    CHECK(issue->step_ms == 4.0);
    CHECK(issue->n == 20);
    CHECK(issue->on_grid == 20);
    CHECK(issue->levels == 3);
    CHECK(issue->lifted == 12); // the 12s and 13s above the lowest level, 11

    // A workload of its own (1.3 ms) under whole ticks, on a 10-ms (CONFIG_HZ 100) or 1-ms (1000) kernel.
    const auto hz100 = time_slice_grid(on_grid(30, 1.3, 10.0, { 0, 1, 2, 1, 3 }, 0.3));
    REQUIRE(hz100);
    CHECK(hz100->step_ms == 10.0);
    const auto hz1000 = time_slice_grid(on_grid(30, 0.35, 1.0, { 2, 3, 5, 4, 2, 7 }, 0.05));
    REQUIRE(hz1000);
    CHECK(hz1000->step_ms == 1.0);
    const auto hz300 = time_slice_grid(on_grid(30, 0.2, 10.0 / 3.0, { 1, 2, 4, 5 }, 0.1));
    REQUIRE(hz300);
    CHECK(hz300->step_ms == Approx(10.0 / 3.0));

    // Samples measured on the 2-core VM under a parallel build (2026-12-07, issue 25's cell, eager, --quick).
    const auto measured = time_slice_grid({ 47.92, 47.96, 47.96, 51.53, 51.94, 51.95, 51.95, 51.98, 55.99, 56.05 });
    REQUIRE(measured);
    CHECK(measured->step_ms == 4.0);

    // A fast workload that lost whole ticks in two iterations of five keeps its grid when a few lifted ones stray.
    std::vector<double> mixed = on_grid(16, 0.12, 4.0, { 0, 0, 12, 0, 19, 20, 0, 20 }, 0.05);
    mixed.push_back(73.11);
    CHECK(time_slice_grid(mixed));
}

TEST_CASE("time-slice grid: ordinary spread and sub-ms workloads make no claim", "[statistics][grid]")
{
    // A sub-millisecond workload with its ordinary jitter.
    CHECK_FALSE(time_slice_grid(on_grid(200, 0.3, 4.0, { 0 }, 0.02)));
    // ... preempted now and then: 3 of 100 iterations lost whole ticks. Its median is the workload's.
    std::vector<double> preempted = on_grid(97, 0.3, 4.0, { 0 }, 0.02);
    for (double lost : { 4.3, 8.3, 12.3 })
        preempted.push_back(lost);
    CHECK_FALSE(time_slice_grid(preempted));
    // A slow workload spread continuously over several ticks, and one spread over a fraction of one.
    CHECK_FALSE(time_slice_grid(on_grid(100, 100.0, 1.0, { 0 }, 6.0)));
    CHECK_FALSE(time_slice_grid(on_grid(50, 20.0, 1.0, { 0 }, 0.5)));
    CHECK_FALSE(time_slice_grid(on_grid(50, 4.0, 1.0, { 0 }, 0.01))); // a workload that happens to take one tick
    // Two levels a tick apart are a bimodal workload as often as a grid: a grid needs three.
    CHECK_FALSE(time_slice_grid(on_grid(20, 2.0, 4.0, { 0, 1 }, 0.05)));
    // Measured on the 2-core VM under load (2026-12-07): 9 of 17 samples off any grid; noisy, but no grid.
    CHECK_FALSE(time_slice_grid(
        { 0.11, 0.12, 0.14, 0.17, 0.19, 0.2, 0.21, 0.24, 0.3, 2.35, 2.47, 3.43, 6.76, 23.19, 24.14, 28.09, 40.1 }));
}

TEST_CASE("time-slice grid: few samples make no claim", "[statistics][grid]")
{
    CHECK_FALSE(time_slice_grid({ 43.89, 47.97, 51.98 })); // issue 25's three samples: too few to tell
    CHECK_FALSE(time_slice_grid(on_grid(9, 0.08, 4.0, { 11, 12, 13 }, 0.05)));
    CHECK(time_slice_grid(on_grid(10, 0.08, 4.0, { 11, 12, 13 }, 0.05)));
    CHECK_FALSE(time_slice_grid({}));
}

TEST_CASE("time-slice grid: a speedup with a side on the grid has no interval", "[statistics][grid]")
{
    const std::vector<double> grid = on_grid(20, 0.08, 4.0, { 11, 12, 13, 12 }, 0.1);
    const std::vector<double> quiet = on_grid(20, 0.5, 4.0, { 0 }, 0.01);
    CHECK(interval_verdict(20, grid) == IntervalVerdict::time_slice_grid);
    CHECK(interval_verdict(20, quiet) == IntervalVerdict::counts);
    const Speedup ratio = speedup(grid, quiet);
    CHECK(ratio.interval == IntervalVerdict::time_slice_grid);
    CHECK(std::isnan(ratio.ci_low));
    CHECK(std::isnan(ratio.mean_ci_high));
    CHECK(speedup(quiet, quiet).interval == IntervalVerdict::counts);
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

TEST_CASE("time-slice grid: rare on continuous spreads, found on simulated grids", "[statistics][grid][simulation]")
{
    // The figures in docs/statistics.md ("Time-slice grid"): samplings with no grid in them (normal, log-normal,
    // uniform, and normal with a spread of 0.2 to 1.5 ticks), and grids of a few ticks with jitter. Fixed seed.
    std::mt19937_64 rng(20261207);
    const auto uniform = [&rng](double low, double high) { return std::uniform_real_distribution<>(low, high)(rng); };
    const auto pick = [&rng](const auto& choices) {
        return choices[std::uniform_int_distribution<size_t>(0, std::size(choices) - 1)(rng)];
    };
    const int sizes[] { 10, 11, 12, 15, 20, 30, 50, 100, 300 };
    const double ticks[] { 10.0, 4.0, 10.0 / 3.0, 1.0 };
    const int tries = 20000;
    int false_claims = 0;
    for (int t = 0; t < tries; ++t) {
        const int n = pick(sizes);
        const double centre = uniform(0.05, 300);
        const double kind = uniform(0, 1);
        const double cv = pick(std::array<double, 4> { 0.01, 0.03, 0.1, 0.3 });
        const double sigma = pick(std::array<double, 3> { 0.05, 0.2, 0.5 });
        const double widest = centre * pick(std::array<double, 3> { 1.1, 2.0, 5.0 });
        const double tick_spread = pick(std::array<double, 3> { 1.0, 4.0, 10.0 }) * uniform(0.2, 1.5);
        std::vector<double> samples;
        for (int i = 0; i < n; ++i) {
            if (kind < 0.3)
                samples.push_back(std::abs(std::normal_distribution<>(centre, centre * cv)(rng)));
            else if (kind < 0.6)
                samples.push_back(centre * std::lognormal_distribution<>(0, sigma)(rng));
            else if (kind < 0.8)
                samples.push_back(uniform(centre, widest));
            else // a spread of a fraction of a tick to a tick and a half
                samples.push_back(std::abs(std::normal_distribution<>(centre, tick_spread)(rng)));
        }
        false_claims += time_slice_grid(samples) ? 1 : 0;
    }
    const int grids = 2000;
    int found = 0;
    for (int g = 0; g < grids; ++g) {
        const double tick = pick(ticks);
        const int n = pick(std::array<int, 5> { 10, 12, 15, 20, 50 });
        const double work = uniform(0.02, 2);
        const double jitter = uniform(0, 0.08) * tick;
        const int lowest = std::uniform_int_distribution<>(0, 15)(rng);
        std::vector<double> samples;
        for (int i = 0; i < n; ++i)
            samples.push_back(
                work + tick * (lowest + pick(std::array<int, 6> { 0, 0, 1, 1, 2, 3 })) + uniform(-jitter, jitter));
        found += time_slice_grid(samples) ? 1 : 0;
    }
    std::cout << "time-slice grid simulation: " << false_claims << " of " << tries
              << " samplings without a grid claimed one; " << found << " of " << grids << " grids found\n";
    CHECK(false_claims <= tries / 1000); // at most 0.1%
    CHECK(found >= grids * 97 / 100);
}
