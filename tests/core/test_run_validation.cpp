// Issue 13, item 15: a loaded run the program could never have written is refused, naming the field's path.
#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/run_validation.h"

#include "sample_run.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <limits>
#include <unistd.h>

using namespace compilescope;

namespace {

/// "field: message" lines of validate_run, for matching.
std::string problems(const RunResult& run)
{
    return format_errors(validate_run(run));
}

} // namespace

TEST_CASE("a real run has no problems", "[run_validation]")
{
    CHECK(problems(compilescope::testing::sample_run()).empty());
    CHECK(problems(compilescope::testing::sample_run_with_problems()).empty());
    // A cancelled run that finished nothing is still a run.
    RunResult empty = compilescope::testing::sample_run();
    empty.measurements.clear();
    CHECK(problems(empty).empty());
}

TEST_CASE("impossible measurements are refused with their path", "[run_validation]")
{
    RunResult run = compilescope::testing::sample_run();
    run.measurements[3].cell.d_model = -5;
    run.measurements[1].stats.n = -1;
    run.measurements[2].variant = "warp-drive";
    run.measurements[0].samples_ms[1] = -0.5;
    run.measurements[4].stats.mean_ms = std::numeric_limits<double>::infinity();
    run.measurements[5].peak_memory_bytes = -1;
    const std::string text = problems(run);
    CHECK_THAT(text, Catch::Contains("measurements[3].cell.d_model: must be > 0, got -5"));
    CHECK_THAT(text, Catch::Contains("measurements[1].stats.n: must be >= 0, got -1"));
    CHECK_THAT(text, Catch::Contains("measurements[2].variant: unknown variant \"warp-drive\" (allowed: eager"));
    CHECK_THAT(text, Catch::Contains("measurements[0].samples_ms[1]: must be a finite number >= 0, got -0.5"));
    CHECK_THAT(text, Catch::Contains("measurements[4].stats.mean_ms: must be a finite number >= 0, got inf"));
    CHECK_THAT(text, Catch::Contains("measurements[5].peak_memory_bytes: must be >= 0, got -1"));
}

TEST_CASE("a measurement's phase must belong to its workload", "[run_validation]")
{
    RunResult run = compilescope::testing::sample_run();
    REQUIRE(run.measurements[0].cell.workload == Workload::attention);
    run.measurements[0].phase = Phase::train_step;
    CHECK_THAT(problems(run), Catch::Contains("measurements[0].phase: train_step is not a phase of attention"));
}

TEST_CASE("the configuration is checked like one given on the command line", "[run_validation]")
{
    RunResult run = compilescope::testing::sample_run();
    run.config.attention.d_models.clear(); // an empty grid
    run.config.model.num_layers = -2;
    run.config.variants.push_back("warp-drive");
    const std::string text = problems(run);
    CHECK_THAT(text, Catch::Contains("config.d_model: needs at least one value (attention)"));
    CHECK_THAT(text, Catch::Contains("config.num_layers: must be >= 1, got -2"));
    CHECK_THAT(text, Catch::Contains("config.variants: unknown variant \"warp-drive\""));
}

TEST_CASE("what only this machine decides does not refuse a run from another", "[run_validation]")
{
    RunResult run = compilescope::testing::sample_run();
    run.config.device = Device::cuda; // a GPU server's run opens on a laptop without CUDA
    run.config.dtype = Dtype::tf32;
    run.config.threads = 512;
    CHECK(problems(run).empty());
    run.config.threads = -1;
    CHECK_THAT(problems(run), Catch::Contains("config.threads: must be >= 0, got -1"));
}

TEST_CASE("load_run_file refuses an impossible run, naming the fields", "[run_validation]")
{
    char directory[] = "/tmp/compilescope-validation-XXXXXX";
    REQUIRE(::mkdtemp(directory) != nullptr);
    const std::string path = std::string(directory) + "/run.json";
    RunResult run = compilescope::testing::sample_run();
    for (Measurement& measurement : run.measurements)
        measurement.stats.n = -1;
    write_file_atomically(path, to_json(run));
    std::string message;
    try {
        load_run_file(path);
    } catch (const RunFileError& error) {
        message = error.what();
    }
    ::unlink(path.c_str());
    ::rmdir(directory);
    CHECK_THAT(message, Catch::StartsWith("impossible run: measurements[0].stats.n: must be >= 0, got -1; "));
    CHECK_THAT(message, Catch::EndsWith(" more")); // at most 10 problems are listed
}
