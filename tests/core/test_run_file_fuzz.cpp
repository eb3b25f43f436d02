// Standing proof for issue 13, item 1: seeded mutations of a real run file through the loader. Nothing may crash,
// nothing but RunFileError may escape, every refusal is a short message, and every accepted run writes back.
#include "compilescope/reports.h"
#include "compilescope/run_validation.h"

#include "run_file_mutator.h"
#include "sample_run.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>

using namespace compilescope;
using compilescope::testing::RunFileMutator;

namespace {

/// What a refusal was about, from the start of its message.
std::string refusal_kind(const std::string& message)
{
    for (const char* kind : { "malformed JSON", "a value out of range", "nesting deeper", "not a CompileScope run",
             "unsupported schema_version", "invalid run file", "impossible run" }) {
        if (message.find(kind) != std::string::npos)
            return kind;
    }
    return "other: " + message.substr(0, 80);
}

/// sample_run_with_problems() cut to its first measurements, the first of each status and the first with a
/// profile: every kind of field, in a file small enough for 10,000 loads in a few seconds.
RunResult fuzz_base()
{
    RunResult run = compilescope::testing::sample_run_with_problems();
    std::vector<Measurement> kept;
    std::vector<MeasurementStatus> statuses;
    bool profiled = false;
    for (const Measurement& measurement : run.measurements) {
        const bool new_status = std::find(statuses.begin(), statuses.end(), measurement.status) == statuses.end();
        if (kept.size() < 2 || new_status || (measurement.profile && !profiled)) {
            kept.push_back(measurement);
            statuses.push_back(measurement.status);
            profiled = profiled || measurement.profile;
        }
    }
    run.measurements = kept;
    return run;
}

/// The loader of load_run_file without the file: parse, then validate.
RunResult load(const std::string& text)
{
    RunResult run = parse_run_json(text);
    const std::vector<ConfigError> errors = validate_run(run);
    if (!errors.empty())
        throw RunFileError("impossible run: " + errors.front().field + ": " + errors.front().message);
    return run;
}

} // namespace

TEST_CASE("10,000 mutated run files are loaded or refused with a clear message, never a crash", "[fuzz][report]")
{
    const auto start = std::chrono::steady_clock::now();
    const std::string base = to_json(fuzz_base());
    REQUIRE_NOTHROW(load(base));
    std::cout << "run file fuzz base: " << fuzz_base().measurements.size() << " measurements, " << base.size()
              << " bytes\n";
    RunFileMutator mutator(base, 20261201);

    constexpr int tries = 10000;
    int accepted = 0;
    std::map<std::string, int> refused;
    std::map<std::string, int> by_mutation;
    for (int i = 0; i < tries; ++i) {
        RunFileMutator::Kind kind {};
        const std::string text = mutator.next(kind);
        ++by_mutation[RunFileMutator::name(kind)];
        INFO("try " << i << ", mutation: " << RunFileMutator::name(kind) << ", " << text.size() << " bytes");
        try {
            const RunResult run = load(text);
            ++accepted;
            // An accepted run is a real one: it writes back and reads back the same.
            const std::string written = to_json(run);
            CHECK(to_json(parse_run_json(written)) == written);
        } catch (const RunFileError& error) {
            const std::string message = error.what();
            CHECK_FALSE(message.empty());
            CHECK(message.size() < 2000); // never echoes a megabyte string or a whole document
            const std::string kind_name = refusal_kind(message);
            CHECK(kind_name.rfind("other", 0) != 0);
            ++refused[kind_name];
        }
        // Any other exception fails the test case here with its message (Catch reports it with the INFO above).
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    int refused_total = 0;
    std::cout << "run file fuzz (loader, in-process): " << tries << " tried, " << accepted << " accepted";
    for (const auto& [kind_name, count] : refused) {
        std::cout << ", " << count << " refused (" << kind_name << ")";
        refused_total += count;
    }
    std::cout << "; mutations:";
    for (const auto& [name, count] : by_mutation)
        std::cout << " " << name << " " << count << ";";
    std::cout << " " << seconds << " s\n";
    CHECK(accepted + refused_total == tries);
    CHECK(accepted > 0); // the mutations are not all fatal: some runs still load
    CHECK(refused_total > tries / 2);
}

TEST_CASE("the reproducers of issue 13 are refused, not crashes", "[fuzz][report]")
{
    auto message_of = [](const std::string& text) -> std::string {
        try {
            parse_run_json(text);
        } catch (const RunFileError& error) {
            return error.what();
        }
        return "(accepted)";
    };
    // An uncaught nlohmann out_of_range aborted `report`.
    CHECK_THAT(message_of("{\"a\": 1e999}"), Catch::Contains("out of range") && Catch::Contains("1e999"));
    // 100,000 brackets segfaulted in dump() of the "schema" field's value; the depth cap refuses them first.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK_THAT(message_of("{\"schema\": " + deep + "}"), Catch::Contains("nesting deeper than 64"));
    CHECK_THAT(message_of(deep), Catch::Contains("nesting deeper than 64"));
    std::string objects;
    for (int i = 0; i < 100000; ++i)
        objects += "{\"a\":";
    objects += "1" + std::string(100000, '}');
    CHECK_THAT(message_of(objects), Catch::Contains("nesting deeper than 64"));
    // 64 levels are fine as JSON (then refused as a foreign document).
    CHECK_THAT(message_of(std::string(64, '[') + std::string(64, ']')), Catch::Contains("not a CompileScope run"));
}

TEST_CASE("a non-UTF-8 string never stops the JSON from being written", "[report][utf8]")
{
    RunResult run = compilescope::testing::sample_run();
    run.environment.hostname = "lab\xff-host";
    run.environment.cpu_model = "cpu \xc3";
    run.measurements.front().message = "bad \xed\xa0\x80 bytes";
    run.measurements.front().notes.push_back("\x80");
    std::string json;
    REQUIRE_NOTHROW(json = to_json(run));
    const RunResult parsed = parse_run_json(json);
    CHECK(parsed.environment.hostname == "lab\xef\xbf\xbd-host"); // U+FFFD for the invalid byte
    CHECK(parsed.environment.cpu_model == "cpu \xef\xbf\xbd");
    CHECK(parsed.measurements.size() == run.measurements.size());
}
