// The profiled pass (MeasureConfig::profile) on a real sweep: what it records, the traces it keeps, and that the
// timed figures never include it. On CUDA the kernel counts of eager against a CUDA-graph replay.

#include "compilescope/child_process.h"
#include "compilescope/engine/sweep.h"
#include "compilescope/engine/variants.h"
#include "compilescope/roofline.h"
#include "sweep_fixtures.h"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace compilescope;

namespace {

std::string profiled_sweep_directory()
{
    return make_private_temp_directory("compilescope-profile-test");
}

} // namespace

TEST_CASE("a profiled pass on the CPU counts operators and keeps a Chrome trace, after the timed iterations",
    "[engine][profile]")
{
    const std::string directory = profiled_sweep_directory();
    SweepConfig config = tiny_config();
    config.attention.seq_lens = { 16 };
    config.variants = { "eager", "torchscript" };
    config.measure.profile = true;
    config.measure.profile_iters = 3;
    config.trace_dir = directory + "/traces";
    const RunResult run = run_sweep(config, {}, CancelToken {});

    CHECK(run.environment.peaks.valid());
    REQUIRE_FALSE(run.measurements.empty());
    for (const Measurement& measurement : run.measurements) {
        INFO(key_of(measurement) << ": " << measurement.message);
        REQUIRE(measurement.ok());
        CHECK(measurement.samples_ms.size() == 2); // the pass adds no sample
        CHECK(measurement.bytes > 0);
        REQUIRE(measurement.profile);
        const ProfileSummary& profile = *measurement.profile;
        CHECK(profile.iterations == 3);
        CHECK(profile.unit == "operators");
        CHECK(profile.launches_per_iter > 0);
        CHECK(profile.busy_share >= 0);
        CHECK(profile.busy_share <= 1);
        CHECK(profile.pass_ms > 0);
        CHECK_FALSE(profile.top.empty());
        CHECK(roofline_point(run, measurement));

        REQUIRE(std::filesystem::exists(profile.trace_file));
        std::ifstream file(profile.trace_file);
        const nlohmann::json trace = nlohmann::json::parse(file);
        REQUIRE(trace.contains("traceEvents"));
        CHECK(trace["traceEvents"].size() > 3);
    }
    remove_tree(directory);
}

TEST_CASE("a trace directory that cannot be written stops the sweep before it measures", "[engine][profile]")
{
    SweepConfig config = tiny_config();
    config.measure.profile = true;
    config.trace_dir = "/proc/compilescope-no-such-dir";
    CHECK_THROWS_WITH(run_sweep(config, {}, CancelToken {}), Catch::Contains("trace_dir"));
}

TEST_CASE("on CUDA a graph replay launches eager's kernels and keeps the GPU busy", "[engine][profile][cuda]")
{
    if (!cuda_available()) {
        WARN("no CUDA device: skipped");
        return;
    }
    SweepConfig config;
    config.device = Device::cuda;
    config.workloads = { Workload::attention, Workload::transformer_lm };
    config.attention.d_models = { 64 };
    config.attention.seq_lens = { 256 };
    config.variants = { "eager", "cuda-graph" };
    config.measure.fixed_iters = 20;
    config.measure.profile = true;
    const RunResult run = run_sweep(config, {}, CancelToken {});
    for (const Measurement& measurement : run.measurements) {
        INFO(key_of(measurement) << ": " << measurement.message);
        REQUIRE(measurement.ok());
        REQUIRE(measurement.profile);
        const ProfileSummary& profile = *measurement.profile;
        WARN(key_of(measurement) << ": " << profile.launches_per_iter << " kernels, busy " << profile.busy_share
                                 << ", median " << measurement.stats.median_ms << " ms, top "
                                 << (profile.top.empty() ? "-" : profile.top.front().name));
        CHECK(profile.unit == "kernels");
        CHECK(profile.launches_per_iter > 0);
        if (measurement.variant == "cuda-graph" && measurement.phase == Phase::train_step) {
            // Measured on an H200: 88% (the gaps between a graph's ~460 small kernels); eager: 12-16%.
            CHECK(profile.busy_share >= 0.8);
        }
    }
    // The seed model's train step launches hundreds of kernels eagerly (466 on an H200 with torch 2.11: ForeachAdamW
    // updates every parameter in a few multi-tensor kernels); the replay launches the same work.
    const auto kernels = [&](const std::string& variant) {
        for (const Measurement& m : run.measurements) {
            if (m.phase == Phase::train_step && m.variant == variant)
                return m.profile->launches_per_iter;
        }
        return 0.0;
    };
    CHECK(kernels("eager") > 300);
    CHECK(kernels("cuda-graph") == Approx(kernels("eager")).epsilon(0.1));
    WARN("train step kernels: eager " << kernels("eager") << ", cuda-graph " << kernels("cuda-graph"));
}
