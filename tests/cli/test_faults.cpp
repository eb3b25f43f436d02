// Fault injection through the real binary (compilescope/failpoints.h): a cell that runs out of memory or throws is
// recorded and the sweep goes on; a worker that crashes costs what it was running; a stop at a random moment always
// leaves a whole, readable run.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>

using compilescope::test::CliSetup;
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

TEST_CASE("A variant that crashes the worker costs its measurements, not the sweep: a fresh worker goes on", "[faults]")
{
    // torchscript raises SIGSEGV wherever it is built, as a bad package or an abort inside LibTorch would: each of the
    // four cells costs one worker and one measurement.
    TempDir dir;
    ::setenv("COMPILESCOPE_FAILPOINTS", "crash=torchscript", 1);
    const auto result = run_cli(sweep(dir));
    ::unsetenv("COMPILESCOPE_FAILPOINTS");
    INFO(result.err);
    CHECK(result.exit_code == 1);
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["cancelled"] == false);
    REQUIRE(run["measurements"].size() == 8);
    CHECK(count(run, "ok") == 4);
    for (const auto& measurement : run["measurements"]) {
        INFO(measurement.dump());
        if (measurement["variant"] == "eager")
            CHECK(measurement["status"] == "ok");
        else
            // Under ASan the sanitizer reports the SIGSEGV and exits 1: a crash all the same.
            CHECK_THAT(measurement["message"].get<std::string>(),
                Catch::Equals("the sweep worker died while it ran: killed by signal 11 (Segmentation fault)")
                    || Catch::Equals("the sweep worker died while it ran: exited with status 1"));
    }
    size_t fresh_workers = 0;
    for (size_t at = result.err.find("a fresh worker goes on"); at != std::string::npos;
         at = result.err.find("a fresh worker goes on", at + 1))
        ++fresh_workers;
    CHECK(fresh_workers == 4);
    CHECK(::access(dir.file("run.json.journal").c_str(), F_OK) != 0); // whole: no journal left
}

TEST_CASE("A worker killed from outside stops the sweep: SIGKILL fails what it ran, SIGTERM is a stop", "[faults]")
{
    // The first measurement stalls 30 s; the worker alone gets the signal inside it: SIGKILL as the out-of-memory
    // killer sends it, SIGTERM as a job scheduler sends it to every process of a job.
    for (const int signal : { SIGKILL, SIGTERM }) {
        TempDir dir;
        ::setenv("COMPILESCOPE_FAILPOINTS", "measurement=stall@1", 1);
        bool sent = false;
        const auto result = run_cli(sweep(dir), [&](const std::string& line, int pid) {
            if (!sent && line.find("roofline") != std::string::npos) {
                sent = true;
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                // The worker is the CLI's child, in a process group of its own.
                const std::string children
                    = read_text("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
                ::kill(std::stoi(children), signal);
            }
        });
        ::unsetenv("COMPILESCOPE_FAILPOINTS");
        INFO(strsignal(signal) << "\n" << result.err);
        REQUIRE(sent);
        CHECK(result.exit_code == 1); // not a whole run, and the CLI was not stopped
        const auto run = json::parse(read_text(dir.file("run.json")));
        CHECK(run["cancelled"] == true);
        REQUIRE(run["measurements"].size() == 8);
        CHECK(count(run, "failed") == (signal == SIGKILL ? 1 : 0));
        CHECK(count(run, "cancelled") == (signal == SIGKILL ? 7 : 8));
        CHECK(::access(dir.file("run.json.journal").c_str(), F_OK) == 0); // for `compilescope-cli resume`
    }
}

TEST_CASE("A failure that leaves the device unusable hands the sweep to a fresh process, which finishes it", "[faults]")
{
    // In every worker the second measurement fails and the device counts as lost, so each worker finishes one cell
    // (eager built but not timed, torchscript failed) and hands over to a fresh one; the fifth finds nothing left.
    TempDir dir;
    ::setenv("COMPILESCOPE_FAILPOINTS", "measurement=error@2,device_lost=lost", 1);
    const auto result = run_cli(sweep(dir));
    ::unsetenv("COMPILESCOPE_FAILPOINTS");
    INFO(result.err);
    CHECK(result.exit_code == 1);
    int handed_over = 0;
    for (size_t at = result.err.find("a fresh worker continues the sweep"); at != std::string::npos;
         at = result.err.find("a fresh worker continues the sweep", at + 1))
        ++handed_over;
    CHECK(handed_over == 4);
    const auto run = json::parse(read_text(dir.file("run.json")));
    REQUIRE(run["measurements"].size() == 8);
    CHECK(run["cancelled"] == false);
    for (const auto& measurement : run["measurements"]) {
        INFO(measurement.dump());
        CHECK(measurement["status"] == "failed");
        const std::string message = measurement["message"];
        CHECK(
            (message == "injected fault (error)" || message.rfind("not measured: the cpu device is unusable", 0) == 0));
    }
    // The journal is removed once the run was written whole (the reports' journal is beside the first of them).
    for (const char* report : { "run.json", "run.md", "run.csv" })
        CHECK(::access(dir.file(std::string(report) + ".journal").c_str(), F_OK) != 0);
}

TEST_CASE("A stop at a random moment always leaves a whole run: finished cells ok, the rest cancelled", "[faults]")
{
    // The moment is a random line of the CLI's stderr (the journal, the roofline, a build, a measurement; 14 in
    // all), not a random time: the sweep takes 1 s on one machine and 6 on another, and a time would mostly land
    // before or after it.
    std::mt19937 random(13);
    std::uniform_int_distribution<int> stop_at_line(1, 14);
    int stopped = 0;
    for (int attempt = 0; attempt < 6; ++attempt) {
        TempDir dir;
        const int line_number = stop_at_line(random);
        int lines = 0;
        const auto result = run_cli(sweep(dir), [&](const std::string&, int pid) {
            if (++lines == line_number)
                kill(pid, SIGINT);
        });
        INFO("attempt " << attempt << ", SIGINT after stderr line " << line_number << "\n" << result.err);
        REQUIRE((result.exit_code == 0 || result.exit_code == 128 + SIGINT));
        const auto run = json::parse(read_text(dir.file("run.json")));
        CHECK(run["measurements"].size() == 8);
        CHECK(count(run, "ok") + count(run, "cancelled") == 8);
        CHECK(run["cancelled"] == (result.exit_code != 0));
        stopped += result.exit_code != 0;
    }
    WARN(stopped << " of 6 runs were stopped mid-sweep (the others had finished)");
}

TEST_CASE("A sweep that can have no journal says so before it runs", "[faults]")
{
    // Reports on standard output only: the journal would go to the state folder, and it cannot be made (issue 23,
    // N05; a relative XDG_STATE_HOME or HOME is ignored, and the password database's home taken: core's
    // test_checked_directory.cpp). The cache (device peaks) gets a folder of its own.
    const TempDir cache;
    const auto result = run_cli(
        { "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32", "--batch", "2", "--phases", "forward",
            "--variants", "eager", "--warmup", "1", "--min-time", "0.02", "--max-time", "0.1", "--json", "-" },
        CliSetup { "", { "XDG_STATE_HOME=/proc/compilescope-no-state", "XDG_CACHE_HOME=" + cache.file("") } });
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("warning: no journal (cannot create /proc/compilescope-no-state/compilescope/journals")
        != std::string::npos);
    CHECK(result.err.find("if this process is killed, the finished measurements are lost") != std::string::npos);
    CHECK(json::parse(result.out)["measurements"].size() == 1);
}

TEST_CASE("A signal while the process winds down after a whole run leaves the run's exit code", "[faults]")
{
    TempDir dir;
    bool sent = false;
    const auto result = run_cli(
        sweep(dir), CliSetup { "", { "COMPILESCOPE_FAILPOINTS=exit=stall" } }, [&](const std::string& line, int pid) {
            if (!sent && line.find("failpoint: the exit waits") != std::string::npos) {
                sent = true;
                kill(pid, SIGTERM);
            }
        });
    INFO(result.err);
    REQUIRE(sent);
    CHECK(result.exit_code == 0); // was 143 on a whole, not-cancelled run (issue 23, N12)
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(count(run, "ok") == 8);
    CHECK(run["cancelled"] == false);
}

TEST_CASE("A stop signal after the sweep has ended stops nothing: the reports are written whole", "[faults]")
{
    TempDir dir;
    bool sent = false;
    const auto result = run_cli(sweep(dir), CliSetup { "", { "COMPILESCOPE_FAILPOINTS=reports=stall" } },
        [&](const std::string& line, int pid) {
            if (!sent && line.find("failpoint: the reports wait") != std::string::npos) {
                sent = true;
                kill(pid, SIGINT);
            }
        });
    INFO(result.err);
    REQUIRE(sent);
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("the sweep has ended; writing the reports") != std::string::npos);
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(count(run, "ok") == 8);
    CHECK(run["cancelled"] == false);
    CHECK(!read_text(dir.file("run.md")).empty());
    CHECK(!read_text(dir.file("run.csv")).empty());
}
