#include "compilescope/results.h"

#include "sample_run.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace compilescope;

namespace {

const Measurement& find(const RunResult& run, const CellKey& cell, Phase phase, const std::string& variant)
{
    for (const Measurement& measurement : run.measurements) {
        if (measurement.cell == cell && measurement.phase == phase && measurement.variant == variant)
            return measurement;
    }
    FAIL("no such measurement");
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("CellKey equality compares every field", "[results]")
{
    const CellKey key { Workload::attention, 8, 64, 1024 };
    CHECK(key == CellKey { Workload::attention, 8, 64, 1024 });
    CHECK(key != CellKey { Workload::transformer_lm, 8, 64, 1024 });
    CHECK(key != CellKey { Workload::attention, 4, 64, 1024 });
    CHECK(key != CellKey { Workload::attention, 8, 32, 1024 });
    CHECK(key != CellKey { Workload::attention, 8, 64, 256 });
}

TEST_CASE("is_noisy uses the run's threshold", "[results]")
{
    const RunResult run = testing::sample_run();
    const Measurement& noisy = find(run, { Workload::attention, 8, 16, 256 }, Phase::forward, "eager");
    const Measurement& quiet = find(run, { Workload::attention, 8, 16, 256 }, Phase::forward, "torchscript");
    CHECK(is_noisy(noisy, run.config.measure));
    CHECK_FALSE(is_noisy(quiet, run.config.measure));
    MeasureConfig strict = run.config.measure;
    strict.noise_cv_threshold = quiet.stats.cv / 2;
    CHECK(is_noisy(quiet, strict));
}

TEST_CASE("find_baseline and speedup_over_baseline", "[results]")
{
    const RunResult run = testing::sample_run_with_problems();
    const CellKey cell { Workload::attention, 8, 64, 256 };
    const Measurement& compiled = find(run, cell, Phase::backward, "torchscript");
    const Measurement* baseline = find_baseline(run, compiled);
    REQUIRE(baseline != nullptr);
    CHECK(baseline->variant == "eager");
    CHECK(baseline->cell == cell);
    CHECK(baseline->phase == Phase::backward);

    const auto ratio = speedup_over_baseline(run, compiled);
    REQUIRE(ratio);
    CHECK(ratio->mean == Approx(1.05));
    CHECK(ratio->ci_low <= ratio->median);
    CHECK(ratio->median <= ratio->ci_high);

    // Eager against itself is exactly 1.
    const auto self = speedup_over_baseline(run, *baseline);
    REQUIRE(self);
    CHECK(self->mean == 1.0);
    CHECK(self->ci_low == 1.0);

    // A failed variant, a skipped baseline, an unavailable variant: no speedup.
    CHECK_FALSE(
        speedup_over_baseline(run, find(run, { Workload::attention, 8, 64, 1024 }, Phase::backward, "torchscript")));
    CHECK_FALSE(
        speedup_over_baseline(run, find(run, { Workload::attention, 8, 64, 1024 }, Phase::forward, "torchscript")));
    CHECK_FALSE(speedup_over_baseline(run, find(run, cell, Phase::forward, "fused-sdpa")));

    Measurement orphan = compiled;
    orphan.cell.seq_len = 4096;
    CHECK(find_baseline(run, orphan) == nullptr);
    CHECK_FALSE(speedup_over_baseline(run, orphan));
}

TEST_CASE("speedup_over_baseline gives no interval when either side has too few samples", "[results][few]")
{
    RunResult run = testing::sample_run();
    const CellKey cell { Workload::attention, 8, 64, 256 };
    const auto cut = [&](const std::string& variant, size_t n) {
        for (Measurement& measurement : run.measurements) {
            if (measurement.cell == cell && measurement.phase == Phase::forward && measurement.variant == variant) {
                measurement.samples_ms.resize(n);
                measurement.stats = summarize(measurement.samples_ms);
            }
        }
    };
    const auto ratio = [&] { return *speedup_over_baseline(run, find(run, cell, Phase::forward, "torchscript")); };
    CHECK(ratio().interval == IntervalVerdict::counts);
    CHECK(std::isfinite(ratio().ci_low));

    cut("eager", min_samples_for_interval - 1); // the baseline's side
    CHECK(ratio().interval == IntervalVerdict::too_few_samples);
    CHECK(std::isnan(ratio().ci_low));
    CHECK(std::isnan(ratio().mean_ci_high));
    CHECK(std::isfinite(ratio().median)); // the ratio is still given
    CHECK(interval_verdict(find(run, cell, Phase::forward, "eager")) == IntervalVerdict::too_few_samples);
    // The baseline's own row: exactly 1, without an interval.
    const auto self = speedup_over_baseline(run, find(run, cell, Phase::forward, "eager"));
    CHECK(self->median == 1.0);
    CHECK(self->interval == IntervalVerdict::too_few_samples);
    CHECK(std::isnan(self->ci_low));

    cut("eager", min_samples_for_interval);
    CHECK(ratio().interval == IntervalVerdict::counts);
    cut("torchscript", 3); // the variant's side
    CHECK(ratio().interval == IntervalVerdict::too_few_samples);

    // Not timed: no claim either way.
    Measurement failed;
    failed.status = MeasurementStatus::failed;
    CHECK(interval_verdict(failed) == IntervalVerdict::counts);
}

TEST_CASE("a measurement on the time-slice grid has no interval and its note says why", "[results][grid]")
{
    const RunResult run = testing::sample_run_with_problems();
    const Measurement& gridded = find(run, { Workload::attention, 8, 16, 256 }, Phase::backward, "torchscript");
    CHECK(interval_verdict(gridded) == IntervalVerdict::time_slice_grid);
    const auto ratio = speedup_over_baseline(run, gridded);
    REQUIRE(ratio);
    CHECK(ratio->interval == IntervalVerdict::time_slice_grid);
    CHECK(std::isnan(ratio->ci_low));
    const std::optional<std::string> note = time_slice_grid_note(gridded.samples_ms);
    REQUIRE(note);
    CHECK(*note
        == "timed on the scheduler's time-slice grid: 12 of 12 samples lie on a grid of 4 ms steps, 7 of them one or "
           "more steps above the lowest; the process waited for the CPU, so the timing is the scheduler's, not the "
           "workload's");
    CHECK_FALSE(
        time_slice_grid_note(find(run, { Workload::attention, 8, 16, 256 }, Phase::forward, "torchscript").samples_ms));
}

TEST_CASE("variants_in lists eager first, then config order, then the rest", "[results]")
{
    RunResult run = testing::sample_run_with_problems();
    CHECK(variants_in(run) == std::vector<std::string> { "eager", "torchscript", "fused-sdpa" });
    run.config.variants = { "fused-sdpa", "eager" };
    CHECK(variants_in(run) == std::vector<std::string> { "eager", "fused-sdpa", "torchscript" });
    run.measurements.clear();
    CHECK(variants_in(run).empty());
}
