// Issue 13, items 1, 2, 7 and 15 through the CLI: hostile run files given to `report` (exit 2, a message, nothing
// written), a standard output that cannot be written (exit 1), and a share of the mutated run files in-process.
#include "cli_in_process.h"
#include "cli_process.h"

#include "../core/run_file_mutator.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <sys/stat.h>

using compilescope::test::cli_in_process;
using compilescope::test::CliSetup;
using compilescope::test::ProcessResult;
using compilescope::test::read_text;
using compilescope::test::run_cli;
using compilescope::test::TempDir;

namespace {

void write_text(const std::string& path, const std::string& text)
{
    std::ofstream file(path, std::ios::binary);
    file << text;
    REQUIRE(file.good());
}

/// A real run file (docs/results/cpu-race.json, a CPU race of every C++ variant) cut to its first `keep`
/// measurements, so that a thousand reports of it stay fast.
std::string real_run(size_t keep)
{
    nlohmann::ordered_json run
        = nlohmann::ordered_json::parse(read_text(COMPILESCOPE_SOURCE_DIR "/docs/results/cpu-race.json"));
    auto& measurements = run["measurements"];
    measurements.erase(measurements.begin() + std::min(keep, measurements.size()), measurements.end());
    return run.dump(2) + "\n";
}

} // namespace

TEST_CASE("report refuses hostile run files with exit 2, a message and no output", "[report][robustness]")
{
    TempDir dir;
    const std::string fifo = dir.file("fifo.json");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string overflow = dir.file("overflow.json");
    write_text(overflow, "{\"a\": 1e999}");
    const std::string deep = dir.file("deep.json");
    write_text(deep, "{\"schema\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
    const std::string negative = dir.file("negative.json");
    {
        nlohmann::ordered_json run = nlohmann::ordered_json::parse(real_run(4));
        run["measurements"][3]["cell"]["d_model"] = -5;
        run["measurements"][1]["variant"] = "warp-drive";
        run["config"]["attention"]["seq_lens"] = nlohmann::ordered_json::array();
        write_text(negative, run.dump());
    }
    const std::vector<std::pair<std::string, std::string>> cases {
        { "/dev/zero", "not a regular file (a character device)" },
        { fifo, "not a regular file (a FIFO)" },
        { overflow, "out of range" },
        { deep, "nesting deeper than 64" },
        { negative, "measurements[3].cell.d_model: must be > 0, got -5" },
        { negative, "measurements[1].variant: unknown variant \"warp-drive\"" },
        { negative, "config.seq_len: needs at least one value" },
    };
    for (const auto& [path, expected] : cases) {
        const auto result = run_cli({ "report", path, "--csv", dir.file("out.csv") });
        INFO(path << "\nstderr: " << result.err);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err, Catch::Contains(expected));
        CHECK(result.out.empty());
        CHECK_FALSE(std::filesystem::exists(dir.file("out.csv")));
    }
}

TEST_CASE("a report that standard output does not take exits 1 with an error", "[report][robustness]")
{
    TempDir dir;
    const std::string run = dir.file("run.json");
    write_text(run, real_run(8));

    const ProcessResult markdown = run_cli({ "report", run }, CliSetup { "/dev/full", {} });
    INFO("stderr: " << markdown.err);
    CHECK(markdown.exit_code == 1);
    CHECK_THAT(markdown.err,
        Catch::Contains("--markdown: cannot write the report to standard output: No space left on device"));

    const ProcessResult json = run_cli({ "report", run, "--json", "-" }, CliSetup { "/dev/full", {} });
    CHECK(json.exit_code == 1);
    CHECK_THAT(json.err, Catch::Contains("--json: cannot write the report to standard output"));

    // The same write to a working standard output succeeds.
    CHECK(run_cli({ "report", run, "--csv", "-" }, CliSetup { "/dev/null", {} }).exit_code == 0);
}

TEST_CASE("a report file whose write fails half-way keeps the old file (failpoint file_write)", "[report][robustness]")
{
    TempDir dir;
    const std::string run = dir.file("run.json");
    write_text(run, real_run(4));
    const std::string old_report = dir.file("report.md");
    write_text(old_report, "the previous report\n");
    for (const auto& [action, reason] : { std::pair<std::string, std::string> { "enospc", "No space left on device" },
             { "eacces", "Permission denied" }, { "eio", "Input/output error" } }) {
        const ProcessResult outcome = run_cli({ "report", run, "--markdown", old_report },
            CliSetup { "/dev/null", { "COMPILESCOPE_FAILPOINTS=file_write=" + action } });
        INFO("stderr: " << outcome.err);
        CHECK(outcome.exit_code == 1);
        CHECK_THAT(outcome.err, Catch::Contains("--markdown: cannot write " + old_report + ": " + reason));
        CHECK(read_text(old_report) == "the previous report\n");
        size_t entries = 0;
        for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.file("")))
            ++entries;
        CHECK(entries == 2); // run.json and report.md: no temporary left behind
    }
}

TEST_CASE("a sweep whose --json - cannot be written exits 1 with an error", "[report][robustness]")
{
    const ProcessResult outcome
        = run_cli({ "run", "--workload", "attention", "--d-model", "16", "--seq-len", "32", "--batch", "1", "--iters",
                      "2", "--warmup", "0", "--variants", "eager", "--phases", "forward", "--json", "-", "--quiet" },
            CliSetup { "/dev/full", {} });
    INFO("stderr: " << outcome.err);
    CHECK(outcome.exit_code == 1);
    CHECK_THAT(outcome.err, Catch::Contains("--json: cannot write the report to standard output"));
}

TEST_CASE("1,000 mutated run files through report: exit 0 or 2, a message, nothing partial", "[report][fuzz]")
{
    const auto start = std::chrono::steady_clock::now();
    TempDir dir;
    const std::string base = real_run(4);
    compilescope::testing::RunFileMutator mutator(base, 13);
    const std::string input = dir.file("run.json");
    const std::string json_out = dir.file("out.json");

    constexpr int tries = 1000;
    int accepted = 0;
    std::map<std::string, int> refused;
    for (int i = 0; i < tries; ++i) {
        compilescope::testing::RunFileMutator::Kind kind {};
        write_text(input, mutator.next(kind));
        std::filesystem::remove(json_out);
        // Half the tries print the Markdown report on the output stream, half write the run as JSON to a file.
        const bool to_file = i % 2 == 1;
        const auto [code, out, err]
            = to_file ? cli_in_process({ "report", input, "--json", json_out }) : cli_in_process({ "report", input });
        INFO("try " << i << ", mutation " << compilescope::testing::RunFileMutator::name(kind) << "\nstderr: " << err);
        if (code == 0) {
            ++accepted;
            CHECK(err.empty());
            CHECK((to_file ? std::filesystem::exists(json_out) : !out.empty()));
            continue;
        }
        REQUIRE(code == 2);
        CHECK(out.empty());
        CHECK_FALSE(std::filesystem::exists(json_out));
        CHECK_THAT(err, Catch::StartsWith("compilescope-cli: error: RUN.json: '" + input + "'"));
        CHECK(err.size() < 2500);
        std::string why = "other";
        for (const char* reason : { "malformed JSON", "out of range", "nesting deeper", "not a CompileScope run",
                 "unsupported schema_version", "invalid run file", "impossible run" }) {
            if (err.find(reason) != std::string::npos) {
                why = reason;
                break;
            }
        }
        CHECK(why != "other");
        ++refused[why];
    }
    // Only the input and, from accepted tries, the output: no temporary file was left behind.
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(input).parent_path()))
        CHECK((entry.path() == input || entry.path() == json_out));

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "run file fuzz (report, in-process): " << tries << " tried, " << accepted << " accepted";
    for (const auto& [why, count] : refused)
        std::cout << ", " << count << " refused (" << why << ")";
    std::cout << "; " << seconds << " s\n";
    CHECK(accepted > 0);
}
