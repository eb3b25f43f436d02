#include "compilescope/statistics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <unordered_map>
#include <utility>

namespace compilescope {

namespace {

// numpy.percentile's default ("linear"): position (n - 1) * p in the sorted samples, interpolated between the two
// neighbours.
double percentile_sorted(const std::vector<double>& sorted, double p)
{
    const double position = static_cast<double>(sorted.size() - 1) * p;
    const auto lower = static_cast<size_t>(std::floor(position));
    const size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(lower);
    return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

// Two-sided 95% quantile of Student's t (t_0.975) for `df` degrees of freedom. Tabulated values, interpolated
// linearly in 1/df between entries (exact at the entries, within 0.001 elsewhere); df may be fractional since it
// comes from the Welch-Satterthwaite formula.
double t_quantile_975(double df)
{
    static constexpr std::array<std::pair<double, double>, 34> table { {
        { 1, 12.7062 },
        { 2, 4.3027 },
        { 3, 3.1824 },
        { 4, 2.7764 },
        { 5, 2.5706 },
        { 6, 2.4469 },
        { 7, 2.3646 },
        { 8, 2.3060 },
        { 9, 2.2622 },
        { 10, 2.2281 },
        { 11, 2.2010 },
        { 12, 2.1788 },
        { 13, 2.1604 },
        { 14, 2.1448 },
        { 15, 2.1314 },
        { 16, 2.1199 },
        { 17, 2.1098 },
        { 18, 2.1009 },
        { 19, 2.0930 },
        { 20, 2.0860 },
        { 21, 2.0796 },
        { 22, 2.0739 },
        { 23, 2.0687 },
        { 24, 2.0639 },
        { 25, 2.0595 },
        { 26, 2.0555 },
        { 27, 2.0518 },
        { 28, 2.0484 },
        { 29, 2.0452 },
        { 30, 2.0423 },
        { 40, 2.0211 },
        { 60, 2.0003 },
        { 120, 1.9799 },
        { std::numeric_limits<double>::infinity(), 1.95996 },
    } };
    if (!(df > table.front().first))
        return table.front().second;
    for (size_t i = 1; i < table.size(); ++i) {
        const auto [df_high, t_high] = table[i];
        if (df <= df_high) {
            const auto [df_low, t_low] = table[i - 1];
            // 1/inf == 0, so the last interval interpolates towards the normal quantile.
            const double fraction = (1.0 / df_low - 1.0 / df) / (1.0 / df_low - 1.0 / df_high);
            return t_low + fraction * (t_high - t_low);
        }
    }
    return table.back().second;
}

/// Replicates of the bootstrap: the 2.5% and 97.5% points then rest on 50 replicates each side.
constexpr int bootstrap_replicates = 2000;

/// Draws the median of a bootstrap resample (n draws with replacement) of `sorted`, the way numpy's median would
/// compute it. The k-th smallest of n uniform draws on [0, 1) follows Beta(k, n - k + 1), and flooring n times it
/// gives the k-th smallest resampled index, so one Beta draw replaces a resample of n values.
class ResampledMedian {
public:
    explicit ResampledMedian(const std::vector<double>& samples)
        : m_sorted(samples)
        , m_k(static_cast<int>((samples.size() + 1) / 2))
        , m_lower(double(m_k), double(samples.size()) - m_k + 1)
        , m_upper(1.0, double(samples.size()) - m_k)
    {
        std::sort(m_sorted.begin(), m_sorted.end());
    }

    template <typename Rng> double operator()(Rng& rng)
    {
        const auto n = static_cast<double>(m_sorted.size());
        const double lower = beta(m_lower.first, m_lower.second, rng);
        if (m_sorted.size() % 2 == 1)
            return at(lower * n);
        // Even n: the next order statistic is the smallest of the n - k draws above `lower`.
        const double next = lower + (1 - lower) * beta(m_upper.first, m_upper.second, rng);
        return 0.5 * (at(lower * n) + at(next * n));
    }

private:
    double at(double position) const
    {
        const auto index = static_cast<size_t>(position);
        return m_sorted[std::min(index, m_sorted.size() - 1)];
    }

    template <typename Rng> static double beta(double a, double b, Rng& rng)
    {
        const double x = std::gamma_distribution<double>(a, 1.0)(rng);
        const double y = std::gamma_distribution<double>(b, 1.0)(rng);
        return x / (x + y);
    }

    std::vector<double> m_sorted;
    int m_k;
    std::pair<double, double> m_lower; ///< Beta(k, n - k + 1)
    std::pair<double, double> m_upper; ///< Beta(1, n - k)
};

} // namespace

double Stats::sem_ms() const
{
    return n > 0 ? std_ms / std::sqrt(static_cast<double>(n)) : 0.0;
}

Stats summarize(const std::vector<double>& samples_ms)
{
    Stats stats;
    if (samples_ms.empty())
        return stats;

    std::vector<double> sorted = samples_ms;
    std::sort(sorted.begin(), sorted.end());
    stats.n = static_cast<int>(sorted.size());
    stats.mean_ms = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(stats.n);
    if (stats.n > 1) {
        double sum_squares = 0;
        for (double sample : sorted)
            sum_squares += (sample - stats.mean_ms) * (sample - stats.mean_ms);
        stats.std_ms = std::sqrt(sum_squares / static_cast<double>(stats.n - 1));
    }
    stats.median_ms = percentile_sorted(sorted, 0.5);
    stats.q1_ms = percentile_sorted(sorted, 0.25);
    stats.q3_ms = percentile_sorted(sorted, 0.75);
    stats.min_ms = sorted.front();
    stats.max_ms = sorted.back();
    stats.cv = stats.mean_ms > 0 ? stats.std_ms / stats.mean_ms : 0.0;
    return stats;
}

Speedup speedup(const Stats& baseline, const Stats& variant)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    Speedup result { nan, nan, nan, nan, nan, nan };
    if (baseline.n == 0 || variant.n == 0 || !(baseline.mean_ms > 0) || !(variant.mean_ms > 0))
        return result;
    result.mean = baseline.mean_ms / variant.mean_ms;
    if (variant.median_ms > 0)
        result.median = baseline.median_ms / variant.median_ms;
    if (!(baseline.n >= min_samples_for_interval && variant.n >= min_samples_for_interval)) {
        result.interval = IntervalVerdict::too_few_samples;
        return result; // too few samples to show an interval
    }

    // Delta method: Var(log mean) ~= CV^2 / n, so the log of the ratio has variance cv_b^2/n_b + cv_v^2/n_v.
    // Working on the log scale keeps the interval positive and symmetric in "x times faster" / "x times slower".
    // The two samples are independent with unequal variances, so the quantile is Student's t with
    // Welch-Satterthwaite degrees of freedom, which matters for the few samples a quick sweep takes.
    const double term_baseline = baseline.cv * baseline.cv / baseline.n;
    const double term_variant = variant.cv * variant.cv / variant.n;
    const double variance = term_baseline + term_variant;
    const double log_ratio = std::log(result.mean);
    if (variance == 0) {
        result.mean_ci_low = result.mean_ci_high = result.mean;
        return result;
    }
    const double df = variance * variance
        / (term_baseline * term_baseline / (baseline.n - 1) + term_variant * term_variant / (variant.n - 1));
    const double half_width = t_quantile_975(df) * std::sqrt(variance);
    result.mean_ci_low = std::exp(log_ratio - half_width);
    result.mean_ci_high = std::exp(log_ratio + half_width);
    return result;
}

Speedup speedup(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms)
{
    Speedup result = speedup(summarize(baseline_ms), summarize(variant_ms));
    result = without_interval(result,
        interval_verdict(interval_verdict(static_cast<int>(baseline_ms.size()), baseline_ms),
            interval_verdict(static_cast<int>(variant_ms.size()), variant_ms)));
    if (result.interval == IntervalVerdict::counts && std::isfinite(result.median)) {
        const Interval interval = median_ratio_interval(baseline_ms, variant_ms);
        result.ci_low = interval.low;
        result.ci_high = interval.high;
    }
    return result;
}

Speedup without_interval(Speedup ratio, IntervalVerdict verdict)
{
    if (verdict == IntervalVerdict::counts)
        return ratio;
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    ratio.ci_low = ratio.ci_high = ratio.mean_ci_low = ratio.mean_ci_high = nan;
    ratio.interval = verdict;
    return ratio;
}

IntervalVerdict interval_verdict(int n, const std::vector<double>& samples_ms)
{
    if (n < min_samples_for_interval)
        return IntervalVerdict::too_few_samples;
    return time_slice_grid(samples_ms) ? IntervalVerdict::time_slice_grid : IntervalVerdict::counts;
}

IntervalVerdict interval_verdict(IntervalVerdict baseline, IntervalVerdict variant)
{
    return baseline != IntervalVerdict::counts ? baseline : variant;
}

namespace {

/// FNV-1a over the samples' bytes, both sides and their sizes: the key of an interval already computed.
uint64_t samples_key(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms)
{
    uint64_t hash = 1469598103934665603ULL;
    auto add = [&hash](const void* data, size_t size) {
        const auto* bytes = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < size; ++i)
            hash = (hash ^ bytes[i]) * 1099511628211ULL;
    };
    for (const std::vector<double>* side : { &baseline_ms, &variant_ms }) {
        const size_t count = side->size();
        add(&count, sizeof count);
        add(side->data(), count * sizeof(double));
    }
    return hash;
}

/// Charts, tables and reports ask for the same intervals and grids again and again (every repaint of a speedup
/// column); 2000 bootstrap replicates take about a millisecond, a lookup a few microseconds.
template <typename Value> class SamplesCache {
public:
    std::optional<Value> find(uint64_t key)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const auto found = m_values.find(key);
        return found == m_values.end() ? std::nullopt : std::optional<Value>(found->second);
    }

    void add(uint64_t key, Value value)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_values.size() >= max_entries)
            m_values.clear();
        m_values.emplace(key, value);
    }

private:
    static constexpr size_t max_entries = 100000;
    std::mutex m_mutex;
    std::unordered_map<uint64_t, Value> m_values;
};

Interval bootstrap_median_ratio(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms);

} // namespace

Interval median_ratio_interval(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (baseline_ms.size() < 2 || variant_ms.size() < 2)
        return { nan, nan };
    static SamplesCache<Interval> cache;
    const uint64_t key = samples_key(baseline_ms, variant_ms);
    if (const std::optional<Interval> known = cache.find(key))
        return *known;
    const Interval interval = bootstrap_median_ratio(baseline_ms, variant_ms);
    cache.add(key, interval);
    return interval;
}

namespace {

Interval bootstrap_median_ratio(const std::vector<double>& baseline_ms, const std::vector<double>& variant_ms)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    ResampledMedian baseline(baseline_ms);
    ResampledMedian variant(variant_ms);
    std::mt19937_64 rng(baseline_ms.size() * 1000003u + variant_ms.size());
    std::vector<double> ratios;
    ratios.reserve(bootstrap_replicates);
    for (int i = 0; i < bootstrap_replicates; ++i) {
        const double denominator = variant(rng);
        if (denominator > 0)
            ratios.push_back(baseline(rng) / denominator);
    }
    if (ratios.empty())
        return { nan, nan };
    std::sort(ratios.begin(), ratios.end());
    return { percentile_sorted(ratios, 0.025), percentile_sorted(ratios, 0.975) };
}

/// The ticks of the kernel's scheduler clock, largest first: CONFIG_HZ is 100, 250, 300 or 1000. A grid of 4 ms
/// is also one of 1 ms, so the largest that fits is the one named.
constexpr std::array<double, 4> scheduler_ticks_ms { 10.0, 4.0, 10.0 / 3.0, 1.0 };
/// How far from the grid a sample may lie, in steps: the workload's own jitter rides on every lifted sample (0.01 to
/// 0.4 ms of 4 in the samples measured for docs/statistics.md). Wider lets continuous spreads of ten-odd samples fall
/// on a grid by chance: of the 20000 samplings of core_tests "[grid][simulation]", 8 at a tenth, 1 here.
constexpr double grid_tolerance = 0.075;

/// The largest set of samples that agree modulo `step_ms` within the tolerance (a window of 15% of a step over
/// their sorted phases), and the levels that set spans.
TimeSliceGrid grid_of_step(const std::vector<double>& samples_ms, double step_ms)
{
    const size_t n = samples_ms.size();
    std::vector<std::pair<double, double>> by_phase; // (phase, sample), the phases twice round the circle
    by_phase.reserve(2 * n);
    for (double sample : samples_ms)
        by_phase.emplace_back(std::fmod(sample, step_ms), sample);
    std::sort(by_phase.begin(), by_phase.end());
    for (size_t i = 0; i < n; ++i)
        by_phase.emplace_back(by_phase[i].first + step_ms, by_phase[i].second);
    const double width = 2 * grid_tolerance * step_ms;
    size_t best_start = 0;
    size_t best_count = 0;
    for (size_t start = 0, end = 0; start < n; ++start) {
        end = std::max(end, start);
        while (end < start + n && by_phase[end].first - by_phase[start].first <= width)
            ++end;
        if (end - start > best_count) {
            best_count = end - start;
            best_start = start;
        }
    }
    const double centre = by_phase[best_start].first + width / 2;
    std::vector<long long> levels;
    for (size_t i = best_start; i < best_start + best_count; ++i)
        levels.push_back(std::llround((by_phase[i].second - centre) / step_ms));
    std::sort(levels.begin(), levels.end());
    TimeSliceGrid grid;
    grid.step_ms = step_ms;
    grid.n = static_cast<int>(n);
    grid.on_grid = static_cast<int>(best_count);
    grid.lifted = static_cast<int>(
        levels.end() - std::upper_bound(levels.begin(), levels.end(), levels.empty() ? 0 : levels.front()));
    grid.levels = static_cast<int>(std::unique(levels.begin(), levels.end()) - levels.begin());
    return grid;
}

/// Four in five samples on one grid, over three levels or more that repeat (one and a half samples a level: a
/// continuous spread puts one sample on each), a quarter of them (three at least) whole steps above the lowest.
bool claims_grid(const TimeSliceGrid& grid)
{
    return 5 * grid.on_grid >= 4 * grid.n && grid.levels >= 3 && 2 * grid.on_grid >= 3 * grid.levels && grid.lifted >= 3
        && 4 * grid.lifted >= grid.n;
}

std::optional<TimeSliceGrid> find_time_slice_grid(const std::vector<double>& samples_ms)
{
    if (static_cast<int>(samples_ms.size()) < min_samples_for_interval)
        return std::nullopt; // too few to tell a grid from chance
    if (std::any_of(samples_ms.begin(), samples_ms.end(), [](double sample) { return !(sample >= 0); }))
        return std::nullopt;
    for (double step_ms : scheduler_ticks_ms) {
        const TimeSliceGrid grid = grid_of_step(samples_ms, step_ms);
        if (claims_grid(grid))
            return grid;
    }
    return std::nullopt;
}

} // namespace

std::optional<TimeSliceGrid> time_slice_grid(const std::vector<double>& samples_ms)
{
    if (static_cast<int>(samples_ms.size()) < min_samples_for_interval)
        return std::nullopt;
    static SamplesCache<std::optional<TimeSliceGrid>> cache;
    const uint64_t key = samples_key(samples_ms, {});
    if (const auto known = cache.find(key))
        return *known;
    const std::optional<TimeSliceGrid> grid = find_time_slice_grid(samples_ms);
    cache.add(key, grid);
    return grid;
}

} // namespace compilescope
