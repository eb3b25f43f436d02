// `run` and `report` through the real binary: tiny sweeps, the files they write, cancellation, memory limits.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <sstream>

using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;
using nlohmann::json;

namespace {

// Eager and TorchScript, named: the default (every variant) would export AOTInductor packages for minutes.
const std::vector<std::string> tiny_attention { "run", "--workload", "attention", "--d-model", "16", "--seq-len",
    "32,64", "--batch", "2", "--iters", "2", "--warmup", "1", "--variants", "eager,torchscript" };

const std::vector<std::string> tiny_model { "run", "--workload", "transformer_lm", "--vocab-size", "64",
    "--context-length", "16", "--model-d-model", "16", "--num-layers", "1", "--num-heads", "2", "--d-ff", "32",
    "--model-batch", "2", "--model-seq-len", "8", "--iters", "2", "--warmup", "1", "--variants", "eager,torchscript" };

std::vector<std::string> with(std::vector<std::string> arguments, const std::vector<std::string>& more)
{
    arguments.insert(arguments.end(), more.begin(), more.end());
    return arguments;
}

size_t count_lines(const std::string& text)
{
    return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

int count_status(const json& run, const std::string& status)
{
    return static_cast<int>(std::count_if(run["measurements"].begin(), run["measurements"].end(),
        [&](const json& measurement) { return measurement.value("status", "") == status; }));
}

} // namespace

TEST_CASE("a tiny attention sweep writes Markdown, JSON and CSV that parse", "[run]")
{
    TempDir dir;
    const auto result = run_cli(with(tiny_attention,
        { "--markdown", dir.file("run.md"), "--json", dir.file("run.json"), "--csv", dir.file("run.csv") }));
    INFO(result.err);
    REQUIRE(result.exit_code == 0);

    // 2 cells x 3 phases x 2 variants.
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["schema"] == "compilescope-run");
    CHECK(run["schema_version"] == 1);
    CHECK(run["cancelled"] == false);
    REQUIRE(run["measurements"].size() == 12);
    CHECK(count_status(run, "ok") == 12);

    const auto csv = read_text(dir.file("run.csv"));
    CHECK(count_lines(csv) == 1 + 12);

    const auto markdown = read_text(dir.file("run.md"));
    CHECK(markdown.rfind("# ", 0) == 0);
    CHECK(markdown.find("| d_model | seq_len |") != std::string::npos);

    // stdout: the results table; stderr (a pipe here): the estimate, one line per finished measurement, then the
    // summary with the estimate beside the time taken.
    CHECK(result.err.find("compilescope-cli: estimate: 12 measurements, about ") != std::string::npos);
    CHECK(result.err.find("12 measurements in ") != std::string::npos);
    CHECK(result.err.find(" (estimated about ") != std::string::npos);
    CHECK(result.out.find("mean±std (ms)") != std::string::npos);
    CHECK(result.out.find("torchscript") != std::string::npos);
    CHECK(result.err.find("[1/12] attention batch=2 d_model=16 seq_len=32") != std::string::npos);
    CHECK(result.err.find("[12/12]") != std::string::npos);
    CHECK(result.err.find("12 measurements") != std::string::npos);
}

TEST_CASE("run --estimate prints what the sweep would cost and runs nothing", "[run][estimate]")
{
    TempDir dir;
    // Every variant, into a cache that is empty: the estimate counts one export per (cell, phase), without making any.
    const auto result = run_cli({ "run", "--preset", "seed", "--quick", "--estimate", "--aoti-cache", dir.file("aoti"),
        "--json", dir.file("run.json") });
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("compilescope-cli: estimate: ") == 0);
    CHECK(result.out.find(" measurements, about ") != std::string::npos);
    CHECK(result.out.find("14 AOTInductor exports") != std::string::npos);
    CHECK(result.out.find("compilescope-cli: largest cell: ") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("run.json")));
    CHECK_FALSE(std::filesystem::exists(dir.file("aoti"))); // looked up, not created
}

TEST_CASE("report regenerates the same reports from the JSON", "[run][report]")
{
    TempDir dir;
    const auto first = run_cli(with(tiny_attention,
        { "--quiet", "--markdown", dir.file("run.md"), "--json", dir.file("run.json"), "--csv", dir.file("run.csv") }));
    REQUIRE(first.exit_code == 0);
    CHECK(first.err.empty());

    const auto again = run_cli({ "report", dir.file("run.json"), "--markdown", dir.file("again.md"), "--csv",
        dir.file("again.csv"), "--json", dir.file("again.json") });
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(read_text(dir.file("again.md")) == read_text(dir.file("run.md")));
    CHECK(read_text(dir.file("again.csv")) == read_text(dir.file("run.csv")));
    CHECK(read_text(dir.file("again.json")) == read_text(dir.file("run.json")));

    const auto to_stdout = run_cli({ "report", dir.file("run.json") });
    REQUIRE(to_stdout.exit_code == 0);
    CHECK(to_stdout.out == read_text(dir.file("run.md")));
}

TEST_CASE("a tiny TransformerLM sweep uses the model flags, not the attention ones", "[run]")
{
    TempDir dir;
    const auto result = run_cli(with(tiny_model, { "--d-model", "64", "--json", dir.file("run.json") }));
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const auto run = json::parse(read_text(dir.file("run.json")));
    REQUIRE(run["measurements"].size() == 4); // forward, train_step x eager, torchscript
    CHECK(count_status(run, "ok") == 4);
    for (const auto& measurement : run["measurements"]) {
        CHECK(measurement["cell"]["workload"] == "transformer_lm");
        CHECK(measurement["cell"]["d_model"] == 16);
        CHECK(measurement["cell"]["seq_len"] == 8);
        CHECK(measurement["cell"]["batch"] == 2);
    }
}

TEST_CASE("a report given '-' goes to stdout instead of the table", "[run]")
{
    const auto result = run_cli(with(tiny_attention, { "--phases", "forward", "--quiet", "--json", "-" }));
    REQUIRE(result.exit_code == 0);
    const auto run = json::parse(result.out);
    CHECK(run["measurements"].size() == 4);
}

TEST_CASE("cells over the memory limit are skipped with the numbers and the sweep goes on", "[run]")
{
    TempDir dir;
    const auto result = run_cli({ "run", "--workload", "attention", "--d-model", "16", "--seq-len", "1024", "--batch",
        "8", "--iters", "2", "--warmup", "1", "--variants", "eager,torchscript", "--memory-limit-mb", "1", "--json",
        dir.file("run.json") });
    INFO(result.err);
    // Skipped measurements are not failures (docs/cli.md, exit codes).
    CHECK(result.exit_code == 0);
    const auto run = json::parse(read_text(dir.file("run.json")));
    REQUIRE(run["measurements"].size() == 6);
    CHECK(count_status(run, "skipped") == 6);
    for (const auto& measurement : run["measurements"]) {
        const std::string message = measurement["message"];
        CHECK(std::any_of(message.begin(), message.end(), ::isdigit));
        CHECK(measurement["estimated_memory_bytes"].get<int64_t>() > 1024 * 1024);
    }
    CHECK(result.out.find("skipped") != std::string::npos);
}

TEST_CASE("SIGINT stops the sweep and keeps the finished measurements", "[run][signal]")
{
    TempDir dir;
    std::string first_line;
    const auto result
        = run_cli({ "run", "--workload", "attention", "--d-model", "16,32,64", "--seq-len", "128,256,512", "--batch",
                      "4", "--iters", "2000", "--warmup", "1", "--variants", "eager,torchscript", "--json",
                      dir.file("run.json"), "--markdown", dir.file("run.md") },
            [&](const std::string& line, int pid) {
                if (first_line.empty() && line.rfind("[1/", 0) == 0) {
                    first_line = line;
                    kill(pid, SIGINT);
                }
            });
    INFO(result.err);
    REQUIRE(!first_line.empty());
    CHECK(result.exit_code == 128 + SIGINT);
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["cancelled"] == true);
    const int ok = count_status(run, "ok");
    const int cancelled = count_status(run, "cancelled");
    CHECK(ok >= 1);
    CHECK(cancelled >= 1);
    CHECK(ok + cancelled == static_cast<int>(run["measurements"].size()));
    // The measurement the progress line announced is among those kept.
    const auto& first = run["measurements"][0];
    CHECK(first["status"] == "ok");
    CHECK(first_line.find(first["variant"].get<std::string>() + ": ") != std::string::npos);
    CHECK(result.out.find("Cancelled:") != std::string::npos);
    CHECK(result.err.find("cancelled") != std::string::npos);
    CHECK(read_text(dir.file("run.md")).find("ancel") != std::string::npos);
}
