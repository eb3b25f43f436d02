// The Python variants through the real binary: the tiny race (every available variant on one attention cell and one
// model cell, checked against eager and rendered), a Python without torch, a child that crashes, a cancel while
// the child compiles. No timing is asserted.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <set>

using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;
using nlohmann::json;

namespace {

// One attention cell and the smallest TransformerLM, every phase.
const std::vector<std::string> tiny_race { "run", "--workload", "all", "--d-model", "16", "--seq-len", "32", "--batch",
    "2", "--vocab-size", "64", "--context-length", "16", "--model-d-model", "16", "--num-layers", "1", "--num-heads",
    "2", "--d-ff", "32", "--model-batch", "2", "--model-seq-len", "8", "--iters", "2", "--warmup", "1" };

std::vector<std::string> with(std::vector<std::string> arguments, const std::vector<std::string>& more)
{
    arguments.insert(arguments.end(), more.begin(), more.end());
    return arguments;
}

std::set<std::string> statuses_of(const json& run, const std::string& variant)
{
    std::set<std::string> statuses;
    for (const json& measurement : run["measurements"]) {
        if (measurement["variant"] == variant)
            statuses.insert(measurement["status"].get<std::string>());
    }
    return statuses;
}

} // namespace

TEST_CASE("the tiny race: every available variant, C++ and Python, passes correctness and renders", "[python][race]")
{
    TempDir dir;
    const auto result = run_cli(with(tiny_race,
        { "--variants", "all", "--aoti-cache", dir.file("aoti"), "--json", dir.file("race.json"), "--markdown",
            dir.file("race.md"), "--csv", dir.file("race.csv") }));
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const json run = json::parse(read_text(dir.file("race.json")));
    std::set<std::string> variants;
    for (const json& measurement : run["measurements"]) {
        INFO(measurement["variant"] << " " << measurement["phase"] << ": " << measurement["message"]);
        CHECK(measurement["status"] == "ok");
        CHECK(measurement["stats"]["n"] == 2);
        if (measurement["variant"] != "eager") {
            CHECK(measurement["correctness"]["checked"] == true);
            CHECK(measurement["correctness"]["passed"] == true);
        }
        variants.insert(measurement["variant"].get<std::string>());
    }
    for (const char* expected : { "eager", "torchscript", "fused-sdpa", "aot-inductor", "py-eager", "torch-compile" })
        CHECK(variants.count(expected) == 1);
    CHECK(run["measurements"].size() == variants.size() * 5); // 3 attention phases + 2 model phases
    CHECK(run["environment"]["python_torch_version"].get<std::string>().size() > 0);

    const std::string markdown = read_text(dir.file("race.md"));
    CHECK(markdown.find("torch-compile") != std::string::npos);
    CHECK(markdown.find("| Python variants |") != std::string::npos);
    // The same run re-rendered with the seed's baseline: torch.compile over Python eager.
    const auto over_python = run_cli({ "report", dir.file("race.json"), "--speedup-baseline", "py-eager" });
    INFO(over_python.err);
    CHECK(over_python.exit_code == 0);
    CHECK(over_python.out.find("Uncompiled (py-eager)") != std::string::npos);
    CHECK(over_python.out.find("Speedup = py-eager / variant") != std::string::npos);
}

TEST_CASE(
    "a Python variant records the machine's load over its child's timed iterations, as C++ ones do", "[python][load]")
{
    TempDir dir;
    // Adaptive timing (the tiny race's --iters cannot go with it), for a window the kernel's accounting can see.
    const auto result = run_cli({ "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32", "--batch",
        "2", "--phases", "forward", "--variants", "eager,py-eager", "--warmup", "1", "--min-time", "0.1", "--max-time",
        "0.2", "--json", dir.file("run.json") });
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const json run = json::parse(read_text(dir.file("run.json")));
    REQUIRE(statuses_of(run, "py-eager") == std::set<std::string> { "ok" });
    for (const json& measurement : run["measurements"]) {
        INFO(measurement["variant"]);
        const json& load = measurement["load"];
        REQUIRE(load.is_object());
        // The window is the timed iterations: it holds their samples, but not the child's start (importing torch
        // alone takes seconds) or its warm-up.
        double timed_s = 0;
        for (const json& sample : measurement["samples_ms"])
            timed_s += sample.get<double>() / 1e3;
        CHECK(load["window_s"].get<double>() >= timed_s);
        CHECK(load["window_s"].get<double>() < timed_s + 0.5);
        CHECK(load["cpus"].get<int>() > 0);
        // The child's own CPU time is the measurement's: a single-threaded child busy for the whole window would
        // read as at least half of a 2-CPU machine if it were counted as another process's.
        const double own_share = 1.0 / load["cpus"].get<double>();
        if (load["others_cpu_share"].get<double>() >= own_share)
            WARN("others used " << load["others_cpu_share"] << " of the CPUs: another job beside this test?");
    }
}

TEST_CASE("a Python that cannot be run makes the Python variants unavailable with the reason", "[python]")
{
    TempDir dir;
    const auto result = run_cli(with(tiny_race,
        { "--workload", "attention", "--phases", "forward", "--variants", "eager,py-eager,torch-compile", "--python",
            "/nonexistent/python3", "--json", dir.file("run.json") }));
    INFO(result.err);
    CHECK(result.exit_code == 0); // unavailable is not a failure
    const json run = json::parse(read_text(dir.file("run.json")));
    CHECK(statuses_of(run, "eager") == std::set<std::string> { "ok" });
    CHECK(statuses_of(run, "py-eager") == std::set<std::string> { "unavailable" });
    CHECK(run["measurements"][1]["message"].get<std::string>().find("/nonexistent/python3") != std::string::npos);
}

TEST_CASE("a Python child that crashes fails its cells and the sweep goes on", "[python]")
{
    TempDir dir;
    const auto result = run_cli(with(tiny_race,
        { "--workload", "attention", "--phases", "forward,backward", "--variants", "eager,py-eager,fused-sdpa",
            "--python", COMPILESCOPE_CRASHING_PYTHON, "--json", dir.file("run.json") }));
    INFO(result.err);
    CHECK(result.exit_code == 1); // some measurement failed
    const json run = json::parse(read_text(dir.file("run.json")));
    CHECK(statuses_of(run, "eager") == std::set<std::string> { "ok" });
    CHECK(statuses_of(run, "fused-sdpa") == std::set<std::string> { "ok" });
    CHECK(statuses_of(run, "py-eager") == std::set<std::string> { "failed" });
    for (const json& measurement : run["measurements"]) {
        if (measurement["variant"] == "py-eager")
            CHECK(measurement["message"].get<std::string>().find("signal 11") != std::string::npos);
    }
}

TEST_CASE("SIGINT while torch.compile compiles stops the child and keeps what finished", "[python][signal]")
{
    TempDir dir;
    bool sent = false;
    const auto result = run_cli(with(tiny_race,
                                    { "--workload", "transformer_lm", "--phases", "train_step", "--variants",
                                        "eager,torch-compile", "--json", dir.file("run.json") }),
        [&](const std::string& line, int pid) {
            // The eager measurement is announced as finished; torch-compile is compiling now.
            if (!sent && line.rfind("[1/", 0) == 0) {
                sent = true;
                kill(pid, SIGINT);
            }
        });
    INFO(result.err);
    REQUIRE(sent);
    CHECK(result.exit_code == 128 + SIGINT);
    const json run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["cancelled"] == true);
    CHECK(statuses_of(run, "eager") == std::set<std::string> { "ok" });
    CHECK(statuses_of(run, "torch-compile") == std::set<std::string> { "cancelled" });
}

TEST_CASE(
    "an AOTInductor export past --aoti-timeout is stopped, fails its cell, and the sweep goes on", "[python][aoti]")
{
    TempDir dir;
    // An export compiles C++ for tens of seconds on this machine: one second is never enough.
    const auto result = run_cli(with(tiny_race,
        { "--workload", "attention", "--phases", "forward", "--variants", "eager,aot-inductor", "--aoti-timeout", "1",
            "--aoti-cache", dir.file("aoti"), "--json", dir.file("run.json") }));
    INFO(result.err);
    CHECK(result.exit_code == 1); // a measurement failed
    const json run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["config"]["aoti_timeout_s"] == 1);
    CHECK(statuses_of(run, "eager") == std::set<std::string> { "ok" });
    CHECK(statuses_of(run, "aot-inductor") == std::set<std::string> { "failed" });
    for (const json& measurement : run["measurements"]) {
        if (measurement["variant"] == "aot-inductor")
            CHECK(measurement["message"].get<std::string>().find("within 1 s and was stopped") != std::string::npos);
    }
}
