// `compilescope-cli rerun`: the measurements a saved run took under load are measured again, with every variant of
// their cell and phase, and every other measurement is kept exactly; a file another user could have written is refused.
#include "cli_process.h"
#include "rerun_command.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>

using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;
using nlohmann::json;

namespace {

/// Two cells of one phase and two variants, each measurement a fraction of a second.
std::vector<std::string> tiny_sweep(const std::string& json_path)
{
    return { "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32,64", "--batch", "2", "--phases",
        "forward", "--variants", "eager,torchscript", "--warmup", "1", "--min-time", "0.02", "--max-time", "0.1",
        "--json", json_path, "--quiet" };
}

json load(double others_cpu_share)
{
    return { { "others_cpu_share", others_cpu_share }, { "steal_share", 0.0 }, { "involuntary_switches_per_s", 50.0 },
        { "cpus", 2 }, { "window_s", 1.0 }, { "gpu_other_processes", nullptr } };
}

bool is(const json& measurement, int64_t seq_len, const std::string& variant)
{
    return measurement["cell"]["seq_len"] == seq_len && measurement["variant"] == variant;
}

/// A run of tiny_sweep() in `dir`, its loads set by hand (this machine may be busy while the test runs): the
/// torchscript of seq_len 64 under load, every other measurement calm.
json marked_run(const TempDir& dir)
{
    const auto made = run_cli(tiny_sweep(dir.file("run.json")));
    INFO(made.err);
    REQUIRE(made.exit_code == 0);
    json run = json::parse(read_text(dir.file("run.json")));
    for (auto& measurement : run["measurements"])
        measurement["load"] = load(is(measurement, 64, "torchscript") ? 0.6 : 0.0);
    std::ofstream(dir.file("run.json")) << run.dump(2);
    ::chmod(dir.file("run.json").c_str(), 0600);
    return run;
}

bool has_rerun_note(const json& measurement)
{
    for (const auto& note : measurement["notes"]) {
        if (note.get<std::string>().rfind("re-run: ", 0) == 0)
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("rerun measures the marked cell and phase again and keeps every other measurement exactly", "[cli][rerun]")
{
    TempDir dir;
    const json before = marked_run(dir);
    const auto result = run_cli({ "rerun", dir.file("run.json"), "--json", dir.file("new.json") });
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("1 measurement(s) taken under load in 1 cell(s) and phase(s); 2 measurement(s) are "
                          "measured again")
        != std::string::npos);
    CHECK(result.err.find("2 re-run") != std::string::npos); // the summary counts them
    CHECK_FALSE(std::filesystem::exists(dir.file("new.json.journal")));

    const json after = json::parse(read_text(dir.file("new.json")));
    REQUIRE(after["measurements"].size() == before["measurements"].size());
    for (size_t i = 0; i < before["measurements"].size(); ++i) {
        const json& old = before["measurements"][i];
        const json& fresh = after["measurements"][i];
        INFO(old["cell"].dump() << " " << old["variant"]);
        CHECK(fresh["variant"] == old["variant"]);
        CHECK(fresh["cell"] == old["cell"]);
        if (old["cell"]["seq_len"] == 64) { // both variants: they are timed in turns
            CHECK(fresh["samples_ms"] != old["samples_ms"]);
            CHECK(fresh["load"] != old["load"]);
            CHECK(has_rerun_note(fresh));
        } else {
            CHECK(fresh == old);
        }
    }
    CHECK(after["started_at"] == before["started_at"]);
}

TEST_CASE("a stopped rerun keeps the old measurements of what it did not finish, and resume finishes it",
    "[cli][rerun][signals]")
{
    TempDir dir;
    auto arguments = tiny_sweep(dir.file("run.json"));
    arguments[std::find(arguments.begin(), arguments.end(), "--seq-len") - arguments.begin() + 1] = "32,64,128,256";
    const auto made = run_cli(arguments);
    REQUIRE(made.exit_code == 0);
    json before = json::parse(read_text(dir.file("run.json")));
    for (auto& measurement : before["measurements"]) // every cell but seq_len 32 marked
        measurement["load"] = load(measurement["cell"]["seq_len"] == 32 ? 0.0 : 0.6);
    std::ofstream(dir.file("run.json")) << before.dump(2);
    ::chmod(dir.file("run.json").c_str(), 0600);

    bool sent = false;
    const auto stopped = run_cli(
        { "rerun", dir.file("run.json"), "--json", dir.file("new.json") }, [&](const std::string& line, int pid) {
            if (!sent && line.rfind("[1/", 0) == 0) {
                sent = true;
                kill(pid, SIGINT);
            }
        });
    INFO(stopped.err);
    REQUIRE(sent);
    REQUIRE(stopped.exit_code == 130);
    const json partial = json::parse(read_text(dir.file("new.json")));
    CHECK(partial["cancelled"] == true);
    REQUIRE(partial["measurements"].size() == before["measurements"].size());
    int old_groups = 0;
    for (size_t i = 0; i < before["measurements"].size(); i += 2) { // eager and torchscript of one cell, in turn
        const json& eager = partial["measurements"][i];
        const json& torchscript = partial["measurements"][i + 1];
        INFO(eager["cell"].dump());
        REQUIRE(eager["cell"] == torchscript["cell"]);
        CHECK(has_rerun_note(eager) == has_rerun_note(torchscript)); // never one span beside another
        if (!has_rerun_note(eager)) {
            ++old_groups;
            CHECK(eager == before["measurements"][i]);
            CHECK(torchscript == before["measurements"][i + 1]);
        }
    }
    CHECK(old_groups >= 2); // seq_len 32, and what the stop left
    REQUIRE(std::filesystem::exists(dir.file("new.json.journal")));

    const auto resumed = run_cli({ "resume", dir.file("new.json.journal") });
    INFO(resumed.err);
    CHECK(resumed.exit_code == 0);
    const json whole = json::parse(read_text(dir.file("new.json")));
    CHECK(whole["cancelled"] == false);
    CHECK(whole["measurements"].size() == before["measurements"].size());
    for (const auto& measurement : whole["measurements"])
        CHECK(measurement["status"] == "ok");
    CHECK_FALSE(std::filesystem::exists(dir.file("new.json.journal")));
}

TEST_CASE("rerun with nothing marked writes the run as it was", "[cli][rerun]")
{
    TempDir dir;
    json run = marked_run(dir);
    for (auto& measurement : run["measurements"])
        measurement["load"] = load(0.0);
    std::ofstream(dir.file("run.json")) << run.dump(2);
    const auto result = run_cli({ "rerun", dir.file("run.json"), "--json", dir.file("same.json"), "--failed" });
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.find("nothing to re-run: " + dir.file("run.json") + " has no measurement that failed")
        != std::string::npos);
    CHECK(json::parse(read_text(dir.file("same.json")))["measurements"] == run["measurements"]);
}

TEST_CASE("rerun refuses a run file other users can write, a link, and a missing output", "[cli][rerun]")
{
    TempDir dir;
    marked_run(dir);
    ::chmod(dir.file("run.json").c_str(), 0666);
    auto result = run_cli({ "rerun", dir.file("run.json"), "--json", dir.file("new.json") });
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("can be written by other users (mode 0666)") != std::string::npos);

    ::chmod(dir.file("run.json").c_str(), 0600);
    std::filesystem::create_symlink(dir.file("run.json"), dir.file("link.json"));
    result = run_cli({ "rerun", dir.file("link.json"), "--json", dir.file("new.json") });
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("is a symbolic link") != std::string::npos);

    result = run_cli({ "rerun", dir.file("run.json") });
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("give --json FILE") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("new.json")));
}

TEST_CASE("every option of rerun is in the CLI reference", "[cli][rerun][docs]")
{
    const std::string reference = read_text(COMPILESCOPE_SOURCE_DIR "/docs/cli.md");
    CHECK(reference.find("## `rerun RUN.json`") != std::string::npos);
    CLI::App app;
    compilescope::cli::RerunOptions options;
    for (const CLI::Option* option : compilescope::cli::add_rerun_command(app, options)->get_options()) {
        for (const std::string& name : option->get_lnames()) {
            INFO(name);
            CHECK(reference.find("`--" + name) != std::string::npos);
        }
    }
}
