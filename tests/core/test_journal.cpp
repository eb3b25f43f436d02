// The journal a sweep appends to as measurements finish: what a reader recovers from whole, torn and odd files.
#include "sample_run.h"

#include "compilescope/failpoints.h"
#include "compilescope/file_io.h"
#include "compilescope/journal.h"
#include "compilescope/reports.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

using namespace compilescope;

namespace {

std::string temporary_path(const std::string& name)
{
    return (
        std::filesystem::temp_directory_path() / ("compilescope-journal-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

/// A journal of sample_run(): its header, then its first `count` measurements.
std::string write_journal(const std::string& name, size_t count)
{
    const std::string path = temporary_path(name);
    std::filesystem::remove(path);
    const RunResult run = testing::sample_run();
    JournalWriter journal(path, { { "json", "/tmp/run.json" } }, false);
    journal.started(run);
    for (size_t i = 0; i < count; ++i)
        journal.measurement(run.measurements[i]);
    REQUIRE(journal.error().empty());
    return path;
}

} // namespace

TEST_CASE("A journal gives back the configuration, the report paths and the finished measurements", "[journal]")
{
    const std::string path = write_journal("whole", 5);
    const Journal journal = read_journal(path);
    const RunResult run = testing::sample_run();
    CHECK(journal.outputs == JournalOutputs { { "json", "/tmp/run.json" } });
    CHECK(journal.run.started_at == run.started_at);
    CHECK(journal.run.config.attention.d_models == run.config.attention.d_models);
    CHECK(journal.run.environment.hostname == run.environment.hostname);
    REQUIRE(journal.run.measurements.size() == 5);
    CHECK(journal.run.measurements[4].variant == run.measurements[4].variant);
    CHECK(journal.run.measurements[4].samples_ms == run.measurements[4].samples_ms);
    // In the resumed run they are told apart from what the resume measures.
    for (const Measurement& measurement : journal.run.measurements)
        CHECK(std::count(measurement.notes.begin(), measurement.notes.end(), earlier_attempt_note) == 1);
    CHECK(journal.torn_lines == 0);
    std::filesystem::remove(path);
}

TEST_CASE("A torn last line is ignored, a repeated measurement counts once (the latest), cancelled ones are left out",
    "[journal]")
{
    const std::string path = write_journal("torn", 3);
    RunResult run = testing::sample_run();
    {
        JournalWriter resumed(path, {}, true);
        Measurement again = run.measurements[1];
        again.message = "measured again after a resume";
        resumed.measurement(again);
        Measurement stopped = run.measurements[3];
        stopped.status = MeasurementStatus::cancelled;
        resumed.measurement(stopped);
    }
    std::ofstream(path, std::ios::app) << "{\"event\":\"measurement\",\"measurement\":{\"cell\":";
    const Journal journal = read_journal(path);
    CHECK(journal.torn_lines == 1);
    REQUIRE(journal.run.measurements.size() == 3);
    CHECK(journal.run.measurements[2].message == "measured again after a resume");
    std::filesystem::remove(path);
}

TEST_CASE("A journal is never overwritten, and what is not one is refused by name", "[journal]")
{
    const std::string path = write_journal("exclusive", 0);
    CHECK_THROWS_AS(JournalWriter(path, {}, false), FileError);
    CHECK_THROWS_AS(JournalWriter(temporary_path("missing"), {}, true), FileError);

    std::ofstream(path, std::ios::trunc) << "{\"schema\": \"something else\"}\n";
    CHECK_THROWS_WITH(read_journal(path), Catch::Contains("is not a CompileScope journal"));
    std::ofstream(path, std::ios::trunc) << "";
    CHECK_THROWS_WITH(read_journal(path), Catch::Contains("is empty"));
    std::ofstream(path, std::ios::trunc) << "{\"compilescope_journal\": 1, \"outputs\": {}}\n";
    CHECK_THROWS_WITH(read_journal(path), Catch::Contains("never started"));
    std::ofstream(path, std::ios::trunc) << "{\"compilescope_journal\": 99}\n";
    CHECK_THROWS_WITH(read_journal(path), Catch::Contains("version 99 is not supported"));
    std::filesystem::remove(path);
}

TEST_CASE("A journal is the user's alone: created 0600, refused when others can write it, another user's, or a link",
    "[journal][security]")
{
    // Under umask 000 too: the journal names the program a resume runs and the files it writes.
    const mode_t umask_before = ::umask(0);
    const std::string path = write_journal("trusted", 2);
    ::umask(umask_before);
    struct stat info { };
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(read_journal(path).run.measurements.size() == 2);

    for (const mode_t mode : { 0620, 0602, 0666 }) {
        ::chmod(path.c_str(), mode);
        CHECK_THROWS_WITH(read_journal(path),
            Catch::Contains("can be written by other users (mode 0" + std::to_string(mode / 64)
                + std::to_string(mode / 8 % 8) + std::to_string(mode % 8) + ")"));
    }
    ::chmod(path.c_str(), 0600);

    const std::string link = temporary_path("link");
    std::filesystem::remove(link);
    std::filesystem::create_symlink(path, link);
    CHECK_THROWS_WITH(read_journal(link), Catch::Contains("is a symbolic link to " + path));
    std::filesystem::remove(link);

    if (::geteuid() == 0 && ::chown(path.c_str(), 65534, 65534) == 0) { // root (CI) can hand it to "nobody"
        CHECK_THROWS_WITH(read_journal(path), Catch::Contains("belongs to user id 65534, not to you"));
        REQUIRE(::chown(path.c_str(), 0, 0) == 0);
    } else {
        WARN("not checked: another user's journal (needs root to make one)");
    }
    std::filesystem::remove(path);
}

TEST_CASE("A journal whose start line is corrupt says so, and an impossible measurement is refused as `report` would",
    "[journal][security]")
{
    const std::string path = write_journal("corrupt", 2);
    std::stringstream lines(read_file(path));
    std::string header, started, first, second;
    std::getline(lines, header);
    std::getline(lines, started);
    std::getline(lines, first);
    std::getline(lines, second);

    std::ofstream(path, std::ios::trunc) << header << "\n"
                                         << started.substr(0, started.size() / 2) << "\n"
                                         << first << "\n";
    CHECK_THROWS_WITH(read_journal(path), Catch::Contains("the line with the sweep's configuration is unreadable"));

    // A negative sample and an absurd mean: `report` refuses such a run, so resume must not build one from it.
    std::string bad = first;
    const size_t samples = bad.find("\"samples_ms\":[");
    REQUIRE(samples != std::string::npos);
    bad.insert(samples + 14, "-5,");
    std::ofstream(path, std::ios::trunc) << header << "\n" << started << "\n" << bad << "\n";
    CHECK_THROWS_WITH(read_journal(path), Catch::Contains("impossible run: measurements[0]"));
    std::filesystem::remove(path);
}

TEST_CASE("A journal that cannot be written keeps its lines and writes them when it can, and without a header there is "
          "no journal",
    "[journal][faults]")
{
    const RunResult run = testing::sample_run();
    const std::string path = temporary_path("full-disk");
    std::filesystem::remove(path);
    // Write 1 is the header: a journal that could not take even that is not left behind empty (issue 23, N09).
    failpoints::configure("journal_write=enospc@1");
    CHECK_THROWS_WITH(JournalWriter(path, {}, false), Catch::Contains("No space left on device"));
    CHECK_FALSE(std::filesystem::exists(path));

    // Write 3 (the first measurement) fails: the line waits, and goes out with the next one (N06).
    failpoints::configure("journal_write=enospc@3");
    {
        JournalWriter journal(path, {}, false);
        journal.started(run);
        journal.measurement(run.measurements[0]);
        CHECK(journal.pending_lines() == 1);
        CHECK_THAT(journal.error(), Catch::Contains("No space left on device"));
        journal.measurement(run.measurements[1]);
        CHECK(journal.pending_lines() == 0);
        CHECK(journal.error().empty());
    }
    failpoints::configure("");
    const Journal read = read_journal(path);
    REQUIRE(read.run.measurements.size() == 2);
    CHECK(read.run.measurements[0].variant == run.measurements[0].variant);
    CHECK(read.torn_lines == 0);
    std::filesystem::remove(path);
}

TEST_CASE("remove() deletes the journal of a run written whole", "[journal]")
{
    const std::string path = temporary_path("removed");
    std::filesystem::remove(path);
    JournalWriter journal(path, {}, false);
    journal.started(testing::sample_run());
    CHECK(std::filesystem::exists(path));
    journal.remove();
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(journal_path_for("/a/run.json") == "/a/run.json.journal");
}

TEST_CASE("A journal being written is in use, and a second writer is refused", "[journal]")
{
    const std::string path = temporary_path("in-use");
    std::filesystem::remove(path);
    {
        JournalWriter journal(path, {}, false);
        CHECK(journal_in_use(path));
        CHECK_THROWS_WITH(JournalWriter(path, {}, true), Catch::Contains("being written by a running sweep"));
    }
    CHECK_FALSE(journal_in_use(path));
    CHECK_FALSE(journal_in_use(temporary_path("never-written")));
    std::filesystem::remove(path);
}
