// Python children that misbehave, through the real binary (security review N07, N08): each is stopped within
// seconds, its measurement fails saying how, the rest of the sweep goes on, and the CLI's memory stays bounded.
// Each stand-in is a shell script given as --python.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include <sys/stat.h>

using compilescope::test::CliSetup;
using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;
using nlohmann::json;

namespace {

constexpr const char* ready_line = R"('{"event": "ready", "torch": "0.0.0-fake", "python": "fake"}')";

/// Writes an executable shell script with `body` after the shebang.
std::string script(const TempDir& dir, const std::string& name, const std::string& body)
{
    const std::string path = dir.file(name);
    std::ofstream(path) << "#!/bin/sh\n" << body;
    REQUIRE(::chmod(path.c_str(), 0755) == 0);
    return path;
}

struct Outcome {
    json python_measurement; ///< the py-eager measurement
    std::string eager_status;
    double seconds = 0;
    std::string err;
};

/// One attention forward cell, eager and py-eager, with `python` as the Python.
Outcome run_with(const TempDir& dir, const std::string& python, const std::vector<std::string>& environment = {})
{
    const auto start = std::chrono::steady_clock::now();
    CliSetup setup;
    setup.environment = environment;
    const auto result = run_cli({ "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32", "--batch",
                                    "2", "--phases", "forward", "--iters", "2", "--warmup", "1", "--variants",
                                    "eager,py-eager", "--python", python, "--json", dir.file("run.json") },
        setup);
    Outcome outcome;
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    outcome.err = result.err;
    INFO(result.err);
    REQUIRE(result.exit_code <= 1); // a failed measurement, not a failed run
    const json run = json::parse(read_text(dir.file("run.json")));
    REQUIRE(run["measurements"].size() == 2);
    outcome.eager_status = run["measurements"][0]["status"];
    outcome.python_measurement = run["measurements"][1];
    return outcome;
}

std::string message_of(const Outcome& outcome)
{
    return outcome.python_measurement["message"].get<std::string>();
}

} // namespace

TEST_CASE("a Python child that closes its output but keeps running is not waited on", "[python][hostile]")
{
    TempDir dir;
    const Outcome outcome = run_with(dir, script(dir, "closes.sh", "exec 1>&-\nexec sleep 100000\n"));
    INFO(outcome.err);
    CHECK(outcome.eager_status == "ok");
    CHECK(outcome.python_measurement["status"] == "unavailable");
    CHECK_THAT(message_of(outcome), Catch::Contains("closed its output but kept running"));
    CHECK(outcome.seconds < 30);
}

TEST_CASE("a Python child that says ready and never answers is stopped at its deadline", "[python][hostile]")
{
    TempDir dir;
    const Outcome outcome
        = run_with(dir, script(dir, "silent.sh", std::string("echo ") + ready_line + "\nexec sleep 100000\n"),
            { "COMPILESCOPE_FAILPOINTS=python_answer=short" });
    INFO(outcome.err);
    CHECK(outcome.python_measurement["status"] == "failed");
    CHECK_THAT(message_of(outcome), Catch::Contains("gave no answer within 2 s while starting and was stopped"));
    CHECK(outcome.seconds < 30);
}

TEST_CASE("a Python child that exits while a process it started holds its output is not waited on", "[python][hostile]")
{
    TempDir dir;
    const std::string marker = dir.file("grandchild-alive");
    // The grandchild keeps the output pipe open and, were it not stopped with its group, would write the marker.
    const Outcome outcome = run_with(dir,
        script(dir, "leaves_child.sh",
            std::string("echo ") + ready_line + "\nread -r request\n(sleep 3; touch " + marker + ") &\nexit 0\n"));
    INFO(outcome.err);
    CHECK(outcome.python_measurement["status"] == "failed");
    CHECK_THAT(message_of(outcome), Catch::Contains("exited with status 0"));
    CHECK(outcome.seconds < 30);
    std::this_thread::sleep_for(std::chrono::seconds(4));
    CHECK_FALSE(std::ifstream(marker).good());
}

TEST_CASE("a Python child that floods its output without a line break is cut off", "[python][hostile]")
{
    TempDir dir;
    const Outcome outcome = run_with(dir,
        script(
            dir, "floods.sh", std::string("echo ") + ready_line + "\nread -r request\nexec tr '\\0' x < /dev/zero\n"));
    INFO(outcome.err);
    CHECK(outcome.python_measurement["status"] == "failed");
    CHECK_THAT(message_of(outcome), Catch::Contains("wrote more than 16 MiB without a line break"));
}

TEST_CASE("a Python child whose results file is a link to /dev/zero is refused, not read", "[python][hostile]")
{
    TempDir dir;
    // Answers "ok" after linking the results path the request names to /dev/zero.
    const std::string body = std::string("echo ") + ready_line + R"sh(
read -r request
results=$(printf '%s' "$request" | sed 's/.*"results":"\([^"]*\)".*/\1/')
id=$(printf '%s' "$request" | sed 's/.*"id":\([0-9]*\).*/\1/')
ln -s /dev/zero "$results"
echo "{\"id\": $id, \"status\": \"ok\", \"samples_ms\": [0.5, 0.6, 0.7]}"
read -r next
)sh";
    const Outcome outcome = run_with(dir, script(dir, "zero.sh", body));
    INFO(outcome.err);
    CHECK(outcome.python_measurement["status"] == "failed");
    CHECK_THAT(message_of(outcome),
        Catch::Contains("cannot read the Python variant's answer") && Catch::Contains("not a regular file"));
}
