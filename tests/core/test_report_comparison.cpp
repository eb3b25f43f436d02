#include "compilescope/reports.h"

#include "sample_run.h"

#include <catch2/catch.hpp>

using namespace compilescope;

namespace {

/// The sample run measured again: the first measurement twice as slow, on another LibTorch with 4 threads.
RunResult slower_comparison()
{
    RunResult comparison = testing::sample_run();
    comparison.started_at = "2026-10-01T09:00:00+01:00";
    comparison.config.threads = 4;
    comparison.environment.libtorch_version = "2.6.0";
    Measurement& first = comparison.measurements.front();
    first.stats.median_ms *= 2;
    return comparison;
}

} // namespace

TEST_CASE("comparison section names the comparison file, its start and its device", "[reports][comparison]")
{
    const std::string text = comparison_markdown(testing::sample_run(), slower_comparison(), "/data/runs/before.json");
    CHECK(text.rfind("## Comparison run\n", 0) == 0);
    CHECK(text.find("`/data/runs/before.json`") != std::string::npos);
    CHECK(text.find("Started: 2026-10-01 09:00:00") != std::string::npos);
    CHECK(text.find("Device: cpu (Test CPU @ 2.00GHz)") != std::string::npos);
}

TEST_CASE("comparison section gives the comparison's median over this run's, as the Results table does",
    "[reports][comparison]")
{
    const RunResult run = testing::sample_run();
    const std::string text = comparison_markdown(run, slower_comparison(), "before.json");
    // The first measurement took half as long in this run; every other one the same time.
    CHECK(text.find("| 2.00x |") != std::string::npos);
    CHECK(text.find("| 1.00x |") != std::string::npos);
    CHECK(text.find("| Comparison / this |") != std::string::npos);
    CHECK(text.find("above 1.00x this run is faster") != std::string::npos);
}

TEST_CASE("comparison section lists exactly the settings that differ", "[reports][comparison]")
{
    const std::string text = comparison_markdown(testing::sample_run(), slower_comparison(), "before.json");
    CHECK(text.find("| config.threads | 2 | 4 |") != std::string::npos);
    CHECK(text.find("| environment.libtorch_version | 1.13.1 | 2.6.0 |") != std::string::npos);
    CHECK(text.find("config.dtype") == std::string::npos);

    const std::string same = comparison_markdown(testing::sample_run(), testing::sample_run(), "same.json");
    CHECK(same.find("is the same in both runs") != std::string::npos);
}

TEST_CASE("comparison section without a common measurement says so", "[reports][comparison]")
{
    RunResult comparison = testing::sample_run();
    for (Measurement& measurement : comparison.measurements)
        measurement.variant = "aoti";
    const std::string text = comparison_markdown(testing::sample_run(), comparison, "other.json");
    CHECK(text.find("No cell x phase x variant has a median in both runs.") != std::string::npos);
}

TEST_CASE("comparison section lists a differing sweep list as its values", "[reports][comparison]")
{
    RunResult comparison = testing::sample_run();
    comparison.config.attention.d_models = { 16, 32 };
    const std::string text = comparison_markdown(testing::sample_run(), comparison, "other.json");
    CHECK(text.find("| config.attention.d_models | 16, 64 | 16, 32 |") != std::string::npos);
}
