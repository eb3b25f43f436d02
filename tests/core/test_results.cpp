#include "compilescope/results.h"

#include "sample_run.h"

#include <catch2/catch.hpp>

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

TEST_CASE("variants_in lists eager first, then config order, then the rest", "[results]")
{
    RunResult run = testing::sample_run_with_problems();
    CHECK(variants_in(run) == std::vector<std::string> { "eager", "torchscript", "fused-sdpa" });
    run.config.variants = { "fused-sdpa", "eager" };
    CHECK(variants_in(run) == std::vector<std::string> { "eager", "fused-sdpa", "torchscript" });
    run.measurements.clear();
    CHECK(variants_in(run).empty());
}
