// Fault injection through the real binary (compilescope/failpoints.h): a cell that runs out of memory or throws is
// recorded and the sweep goes on; a stop at a random moment always leaves a whole, readable run.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <random>
#include <thread>

using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;
using nlohmann::json;

namespace {

std::vector<std::string> sweep(const TempDir& dir)
{
    return { "run", "--workload", "attention", "--d-model", "16,32", "--seq-len", "32,64", "--batch", "2", "--phases",
        "forward", "--variants", "eager,torchscript", "--warmup", "1", "--min-time", "0.02", "--max-time", "0.1",
        "--json", dir.file("run.json"), "--markdown", dir.file("run.md"), "--csv", dir.file("run.csv") };
}

int count(const json& run, const std::string& status)
{
    int found = 0;
    for (const auto& measurement : run["measurements"])
        found += measurement["status"] == status;
    return found;
}

} // namespace

TEST_CASE("A cell that runs out of memory or throws is recorded as failed and the sweep goes on", "[faults]")
{
    for (const std::string action : { "bad_alloc", "error" }) {
        TempDir dir;
        ::setenv("COMPILESCOPE_FAILPOINTS", ("measurement=" + action + "@4").c_str(), 1);
        const auto result = run_cli(sweep(dir));
        ::unsetenv("COMPILESCOPE_FAILPOINTS");
        INFO(action << "\n" << result.err);
        CHECK(result.exit_code == 1);
        const auto run = json::parse(read_text(dir.file("run.json")));
        REQUIRE(run["measurements"].size() == 8);
        CHECK(count(run, "failed") == 1);
        CHECK(count(run, "ok") == 7);
        const auto& failed = run["measurements"][3]; // torchscript of the second cell (eager is its reference)
        CHECK(failed["status"] == "failed");
        CHECK(failed["message"].get<std::string>().find(action == "bad_alloc" ? "out of memory" : "injected fault")
            != std::string::npos);
        CHECK(read_text(dir.file("run.md")).find("failed") != std::string::npos);
        CHECK(!read_text(dir.file("run.csv")).empty());
    }
}

TEST_CASE("A stop at a random moment always leaves a whole run: finished cells ok, the rest cancelled", "[faults]")
{
    std::mt19937 random(13);
    std::uniform_int_distribution<int> delay_ms(0, 6000);
    int stopped = 0;
    for (int attempt = 0; attempt < 6; ++attempt) {
        TempDir dir;
        const int delay = delay_ms(random);
        bool sent = false;
        const auto start = std::chrono::steady_clock::now();
        const auto result = run_cli(sweep(dir), [&](const std::string&, int pid) {
            if (!sent && std::chrono::steady_clock::now() - start > std::chrono::milliseconds(delay)) {
                sent = true;
                kill(pid, SIGINT);
            }
        });
        INFO("attempt " << attempt << ", SIGINT after " << delay << " ms\n" << result.err);
        REQUIRE((result.exit_code == 0 || result.exit_code == 128 + SIGINT));
        const auto run = json::parse(read_text(dir.file("run.json")));
        CHECK(run["measurements"].size() == 8);
        CHECK(count(run, "ok") + count(run, "cancelled") == 8);
        CHECK(run["cancelled"] == (result.exit_code != 0));
        stopped += result.exit_code != 0;
    }
    WARN(stopped << " of 6 runs were stopped mid-sweep (the others had finished)");
}
