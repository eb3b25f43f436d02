// Every bad input of the issue: exit code 2, a message naming the field, and nothing written.
#include "cli_process.h"

#include "compilescope/engine/variants.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;

namespace {

struct BadInput {
    std::vector<std::string> flags;
    std::vector<std::string> expected; ///< each must appear in stderr: the field, and allowed values where known
};

/// Runs a tiny sweep with `flags` appended and every output requested; checks the usage error and that no file,
/// not even a temporary one, was created.
void check_rejected(const BadInput& input)
{
    TempDir dir;
    std::vector<std::string> arguments { "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32",
        "--batch", "2", "--iters", "2", "--warmup", "1", "--markdown", dir.file("run.md"), "--json",
        dir.file("run.json"), "--csv", dir.file("run.csv") };
    arguments.insert(arguments.end(), input.flags.begin(), input.flags.end());
    const auto result = run_cli(arguments);
    INFO("flags: " << Catch::Detail::stringify(input.flags) << "\nstderr: " << result.err);
    CHECK(result.exit_code == 2);
    for (const auto& text : input.expected)
        CHECK(result.err.find(text) != std::string::npos);
    CHECK(result.out.empty());
    CHECK(dir.empty());
}

} // namespace

TEST_CASE("non-positive sizes are rejected", "[bad-input]")
{
    check_rejected({ { "--d-model", "0" }, { "d_model" } });
    check_rejected({ { "--d-model=-16" }, { "d_model" } });
    check_rejected({ { "--seq-len", "32,0" }, { "seq_len" } });
    check_rejected({ { "--batch", "0" }, { "batch" } });
    check_rejected({ { "--workload", "transformer_lm", "--vocab-size", "0" }, { "vocab_size" } });
    check_rejected({ { "--workload", "transformer_lm", "--num-layers", "0" }, { "num_layers" } });
    check_rejected({ { "--workload", "transformer_lm", "--num-heads", "0" }, { "num_heads" } });
}

TEST_CASE("model shapes that cannot work are rejected", "[bad-input]")
{
    // 30 is not divisible by 4 heads.
    check_rejected(
        { { "--workload", "transformer_lm", "--model-d-model", "30", "--num-heads", "4" }, { "num_heads" } });
    // 12 / 4 = 3: RoPE rotates pairs, so the head dimension must be even.
    check_rejected({ { "--workload", "transformer_lm", "--model-d-model", "12", "--num-heads", "4" }, { "head" } });
    check_rejected(
        { { "--workload", "transformer_lm", "--model-seq-len", "512", "--context-length", "256" }, { "seq_len" } });
}

TEST_CASE("text where a number belongs is rejected", "[bad-input]")
{
    check_rejected({ { "--d-model", "16,abc" }, { "d_model", "abc" } });
    check_rejected({ { "--seq-len", "many" }, { "seq_len", "many" } });
    check_rejected({ { "--batch", "2.5" }, { "batch" } });
}

TEST_CASE("unknown names are rejected with the allowed values", "[bad-input]")
{
    check_rejected({ { "--workload", "vision" }, { "workload", "attention", "transformer_lm" } });
    check_rejected({ { "--preset", "huge" }, { "preset", "seed", "cs336-small" } });
    check_rejected({ { "--variants", "eager,bogus" }, { "variant", "bogus", "torchscript" } });
    check_rejected({ { "--phases", "forward,sideways" }, { "phase", "sideways", "forward_backward" } });
    check_rejected({ { "--device", "tpu" }, { "device", "cpu", "cuda" } });
    check_rejected({ { "--dtype", "fp64" }, { "dtype", "fp32", "bf16" } });
    check_rejected({ { "--allocator", "jemalloc" }, { "allocator", "keep", "system" } });
    check_rejected({ { "--sdpa-backend", "fastest" }, { "sdpa_backend", "auto", "mem-efficient", "cudnn" } });
}

TEST_CASE("cuda is rejected where it is unavailable", "[bad-input]")
{
    if (compilescope::cuda_available()) {
        WARN("CUDA is available here; nothing to reject");
        return;
    }
    check_rejected({ { "--device", "cuda" }, { "cuda" } });
}

TEST_CASE("zero iterations are rejected", "[bad-input]")
{
    check_rejected({ { "--iters", "0" }, { "iters" } });
}

TEST_CASE("fixed and adaptive timing flags do not mix", "[bad-input]")
{
    check_rejected({ { "--min-time", "1" }, { "--iters", "--min-time" } });
}

TEST_CASE("an unwritable output path is reported before the sweep starts", "[bad-input]")
{
    TempDir dir;
    const auto result = run_cli({ "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32", "--iters",
        "2", "--json", dir.file("run.json"), "--markdown", dir.file("missing-folder/run.md") });
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("--markdown") != std::string::npos);
    CHECK(result.err.find("missing-folder/run.md") != std::string::npos);
    CHECK(result.err.find("[1/") == std::string::npos); // nothing ran
    CHECK(dir.empty());

    const auto same = run_cli({ "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32", "--iters", "2",
        "--json", dir.file("run.out"), "--csv", dir.file("run.out") });
    CHECK(same.exit_code == 2);
    CHECK(same.err.find("--csv") != std::string::npos);
    CHECK(dir.empty());
}

TEST_CASE("usage errors: unknown options, missing command", "[bad-input]")
{
    const auto unknown = run_cli({ "run", "--frobnicate" });
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("--frobnicate") != std::string::npos);

    const auto missing = run_cli({});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("--help") != std::string::npos);
}

TEST_CASE("report rejects missing, malformed, foreign and wrong-version JSON", "[bad-input][report]")
{
    TempDir dir;
    const auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir.file(name)) << text;
        return dir.file(name);
    };
    const auto malformed = write("malformed.json", "{\"schema\": \"compilescope-run\", \"schema_version\": 1,");
    const auto foreign = write("foreign.json", "{\"name\": \"something else\"}");
    const auto future = write("future.json", "{\"schema\": \"compilescope-run\", \"schema_version\": 999}");

    for (const auto& [input, expected] : std::vector<std::pair<std::string, std::string>> {
             { dir.file("absent.json"), "absent.json" },
             { malformed, "malformed.json" },
             { foreign, "schema" },
             { future, "999" },
         }) {
        const auto result
            = run_cli({ "report", input, "--markdown", dir.file("out.md"), "--csv", dir.file("out.csv") });
        INFO(input << "\n" << result.err);
        CHECK(result.exit_code == 2);
        CHECK(result.err.find(expected) != std::string::npos);
        CHECK(result.out.empty());
        CHECK_FALSE(std::filesystem::exists(dir.file("out.md")));
        CHECK_FALSE(std::filesystem::exists(dir.file("out.csv")));
    }
}
