// Losing nothing: stop signals (SIGINT, SIGTERM, SIGHUP, repeated, inside an iteration that does not return), and
// the journal that survives kill -9 and lets `resume` run only what is missing.
#include "cli_process.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <tuple>

using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;
using nlohmann::json;

namespace {

/// Six cells of one phase and two variants, each measurement a fraction of a second.
std::vector<std::string> small_sweep(const std::string& json_path)
{
    return { "run", "--workload", "attention", "--d-model", "16,32", "--seq-len", "32,64,128", "--batch", "2",
        "--phases", "forward", "--variants", "eager,torchscript", "--warmup", "1", "--min-time", "0.02", "--max-time",
        "0.1", "--json", json_path };
}

using Key = std::tuple<int64_t, int64_t, std::string, std::string>;

std::multiset<Key> keys(const json& run, const std::string& status = "ok")
{
    std::multiset<Key> found;
    for (const auto& measurement : run["measurements"]) {
        if (measurement["status"] == status)
            found.insert({ measurement["cell"]["d_model"].get<int64_t>(), measurement["cell"]["seq_len"].get<int64_t>(),
                measurement["phase"].get<std::string>(), measurement["variant"].get<std::string>() });
    }
    return found;
}

/// Sets an environment variable for the child processes a test starts, and restores it.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const std::string& value)
        : m_name(name)
    {
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnvironment() { ::unsetenv(m_name); }

private:
    const char* m_name;
};

json stop_after_first_measurement(const std::vector<int>& signals, int expected_exit)
{
    TempDir dir;
    bool sent = false;
    const auto result = run_cli(small_sweep(dir.file("run.json")), [&](const std::string& line, int pid) {
        if (!sent && line.rfind("[1/", 0) == 0) {
            sent = true;
            for (int signal_number : signals)
                kill(pid, signal_number);
        }
    });
    INFO(result.err);
    REQUIRE(sent);
    CHECK(result.exit_code == expected_exit);
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["cancelled"] == true);
    CHECK(keys(run).size() >= 1);
    CHECK(std::filesystem::exists(dir.file("run.json.journal")));
    CHECK(result.err.find("compilescope-cli resume " + dir.file("run.json.journal")) != std::string::npos);
    return run;
}

} // namespace

TEST_CASE("SIGTERM twice, as timeout sends it, keeps every finished measurement", "[run][signal]")
{
    stop_after_first_measurement({ SIGTERM, SIGTERM }, 128 + SIGTERM);
}

TEST_CASE("SIGHUP (a closed ssh session) stops the sweep like Ctrl-C", "[run][signal]")
{
    stop_after_first_measurement({ SIGHUP }, 128 + SIGHUP);
}

TEST_CASE("Three Ctrl-C in a row still write the results", "[run][signal]")
{
    stop_after_first_measurement({ SIGINT, SIGINT, SIGINT }, 128 + SIGINT);
}

TEST_CASE("A stop signal inside an iteration that does not return is answered within about a second", "[run][signal]")
{
    // The second measurement stalls for 30 s without looking at the cancel token, as a long LibTorch operator does.
    const ScopedEnvironment stall("COMPILESCOPE_FAILPOINTS", "measurement=stall@3");
    TempDir dir;
    std::chrono::steady_clock::time_point signalled;
    bool sent = false;
    auto arguments = small_sweep(dir.file("run.json"));
    const auto result = run_cli(arguments, [&](const std::string& line, int pid) {
        if (!sent && line.rfind("[2/", 0) == 0) {
            sent = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(300)); // well inside the stall
            signalled = std::chrono::steady_clock::now();
            kill(pid, SIGINT);
        }
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
    INFO(result.err);
    REQUIRE(sent);
    CHECK(result.exit_code == 128 + SIGINT);
    CHECK(seconds < 5.0); // about 1 s of grace, plus writing; the stall would take 30 s
    WARN("stop signal to exit inside a stalled iteration: " << seconds << " s");
    CHECK(result.err.find("still running; writing what finished") != std::string::npos);
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["cancelled"] == true);
    CHECK(keys(run).size() == 2);
}

TEST_CASE(
    "kill -9 mid-sweep loses nothing: resume runs only what is missing, the union equals a clean run", "[run][resume]")
{
    TempDir clean_dir;
    const auto clean = run_cli(small_sweep(clean_dir.file("run.json")));
    REQUIRE(clean.exit_code == 0);
    const auto clean_run = json::parse(read_text(clean_dir.file("run.json")));
    CHECK_FALSE(std::filesystem::exists(clean_dir.file("run.json.journal"))); // a finished run leaves no journal

    TempDir dir;
    const std::string journal = dir.file("run.json.journal");
    bool killed = false;
    const auto interrupted = run_cli(small_sweep(dir.file("run.json")), [&](const std::string& line, int pid) {
        if (!killed && line.rfind("[5/", 0) == 0) {
            killed = true;
            kill(pid, SIGKILL);
        }
    });
    REQUIRE(killed);
    REQUIRE(interrupted.exit_code == 128 + SIGKILL);
    CHECK_FALSE(std::filesystem::exists(dir.file("run.json")));
    REQUIRE(std::filesystem::exists(journal));
    // A process killed while writing leaves a torn last line; resume ignores it.
    std::ofstream(journal, std::ios::app) << "{\"event\":\"measurement\",\"measur";

    const auto again = run_cli(small_sweep(dir.file("run.json")));
    CHECK(again.exit_code == 2);
    CHECK(again.err.find("compilescope-cli resume " + journal) != std::string::npos);

    const auto resumed = run_cli({ "resume", journal });
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.err.find("measurements finished before") != std::string::npos);
    CHECK(resumed.err.find("1 unreadable line(s) ignored") != std::string::npos);
    const auto run = json::parse(read_text(dir.file("run.json")));
    CHECK(run["cancelled"] == false);
    CHECK(keys(run) == keys(clean_run));
    CHECK(run["measurements"].size() == clean_run["measurements"].size());
    CHECK_FALSE(std::filesystem::exists(journal));
}

TEST_CASE("resume refuses a journal from another machine and a file that is not a journal", "[run][resume]")
{
    TempDir dir;
    bool stopped = false;
    run_cli(small_sweep(dir.file("run.json")), [&](const std::string& line, int pid) {
        if (!stopped && line.rfind("[1/", 0) == 0) {
            stopped = true;
            kill(pid, SIGKILL);
        }
    });
    const std::string journal = dir.file("run.json.journal");
    REQUIRE(std::filesystem::exists(journal));
    std::string text = read_text(journal);
    const std::string host = "\"hostname\":\"";
    const auto at = text.find(host);
    REQUIRE(at != std::string::npos);
    text.insert(at + host.size(), "elsewhere-");
    std::ofstream(journal, std::ios::trunc) << text;
    const auto moved = run_cli({ "resume", journal });
    CHECK(moved.exit_code == 2);
    CHECK(moved.err.find("was written elsewhere (host was 'elsewhere-") != std::string::npos);

    std::ofstream(dir.file("not-a-journal")) << "{\"a\": 1}\n";
    const auto wrong = run_cli({ "resume", dir.file("not-a-journal") });
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err.find("is not a CompileScope journal") != std::string::npos);
}
