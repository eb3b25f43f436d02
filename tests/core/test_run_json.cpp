// The run JSON's to_json/from_json (compilescope/run_json.h): the bytes of existing run files, old files without the
// later fields, and a mistyped field named by its whole path wherever it sits.
#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/run_json.h"
#include "compilescope/sweep_stream.h"

#include "sample_run.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace compilescope;
using run_json::Json;

namespace {

/// A run written by the hand-written writer that to_json replaced (every field: a profile with kernels, null
/// errors, null compile_ms, non-ASCII text), kept to prove the bytes did not change.
std::string golden_run()
{
    return read_file(std::string(COMPILESCOPE_GOLDEN_DIR) + "/run_v1.json");
}

std::string error_of(const std::string& text)
{
    try {
        parse_run_json(text);
    } catch (const RunFileError& error) {
        return error.what();
    }
    return "(no error)";
}

std::string replaced(const std::string& pointer, const Json& value)
{
    Json document = Json::parse(to_json(testing::sample_run()));
    document[Json::json_pointer(pointer)] = value;
    return document.dump();
}

std::string stream_error_of(const std::string& line)
{
    try {
        parse_stream_line(line);
    } catch (const RunFileError& error) {
        return error.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("a run file written before to_json reads and writes back byte for byte", "[run_json]")
{
    const std::string golden = golden_run();
    const RunResult run = parse_run_json(golden);
    CHECK(to_json(run) == golden);
    REQUIRE(run.measurements.size() == 3);
    REQUIRE(run.measurements[0].profile);
    CHECK(run.measurements[0].profile->top.size() == 2);
    CHECK_FALSE(run.measurements[2].profile);
    CHECK(std::isnan(run.measurements[1].correctness.max_abs_error));
    CHECK(run.measurements[1].notes == std::vector<std::string> { "a note", "zweite Notiz ü" });
}

TEST_CASE("a run file from before the optional fields reads them as their old behaviour", "[run_json]")
{
    Json older = Json::parse(golden_run());
    Json& config = older["config"];
    for (const char* key :
        { "sdpa_backend", "speedup_baseline", "python", "python_adamw", "aoti_cache", "aoti_jobs", "trace_dir" })
        config.erase(key);
    for (const char* key : { "flush_l2", "profile", "profile_iters", "interleave" })
        config["measure"].erase(key);
    for (const char* key : { "python", "python_torch_version", "peaks" })
        older["environment"].erase(key);
    for (Json& measurement : older["measurements"]) {
        measurement.erase("bytes");
        measurement.erase("profile");
        measurement.erase("load");
    }

    const RunResult run = parse_run_json(older.dump());
    const SweepConfig defaults;
    CHECK(run.config.sdpa_backend == defaults.sdpa_backend);
    CHECK(run.config.speedup_baseline == defaults.speedup_baseline);
    CHECK(run.config.python_adamw == defaults.python_adamw);
    CHECK(run.config.aoti_jobs == defaults.aoti_jobs);
    CHECK(run.config.measure.profile_iters == defaults.measure.profile_iters);
    CHECK_FALSE(run.config.measure.interleave); // timed one variant after another before interleaving existed
    CHECK_FALSE(run.environment.peaks.valid());
    CHECK(run.measurements[0].bytes == 0);
    CHECK_FALSE(run.measurements[0].profile);
}

TEST_CASE("a wrong-typed nested field reports its full path", "[run_json]")
{
    CHECK(error_of(replaced("/measurements/3/stats/median_ms", "abc"))
        == "invalid run file: field \"measurements[3].stats.median_ms\" must be a number, got a string");
    CHECK(error_of(replaced("/config/measure/min_iters", 2.5))
        == "invalid run file: field \"config.measure.min_iters\" must be an integer, got a number");
    CHECK(error_of(replaced("/config/measure/max_iters", 4294967296LL))
        == "invalid run file: field \"config.measure.max_iters\" is out of range, got 4294967296");
    CHECK(error_of(replaced("/config/phases/0", "sideways"))
        == "invalid run file: field \"config.phases[0]\" has unknown value \"sideways\" (allowed: forward, backward, "
           "forward_backward, train_step)");
    CHECK(error_of(replaced("/environment/peaks", Json::array()))
        == "invalid run file: field \"environment.peaks\" must be an object, got an array");
    CHECK(error_of(replaced("/environment/peaks/source", 3))
        == "invalid run file: field \"environment.peaks.source\" must be a string, got an integer");
    CHECK(error_of(replaced("/measurements/2/cell/workload", false))
        == "invalid run file: field \"measurements[2].cell.workload\" must be a string, got a boolean");
    CHECK(error_of(replaced("/measurements/0/notes", Json::array({ "fine", 7 })))
        == "invalid run file: field \"measurements[0].notes[1]\" must be a string, got an integer");

    Json profiled = Json::parse(golden_run());
    profiled["measurements"][0]["profile"]["top"][1]["share"] = "most";
    CHECK(error_of(profiled.dump())
        == "invalid run file: field \"measurements[0].profile.top[1].share\" must be a number, got a string");
}

TEST_CASE("a sweep event names the field of its run or measurement by path", "[run_json][stream]")
{
    SweepEvent event;
    event.kind = SweepEvent::Kind::measurement;
    event.measurement = testing::sample_run().measurements.front();
    Json line = Json::parse(stream_line(event));
    line["measurement"]["stats"]["n"] = "five";
    CHECK(stream_error_of(line.dump())
        == "sweep event: field \"measurement.stats.n\" has the wrong type: must be an integer, got a string");

    event.kind = SweepEvent::Kind::started;
    event.run = testing::sample_run();
    line = Json::parse(stream_line(event));
    line["run"]["config"]["attention"].erase("batch");
    CHECK(stream_error_of(line.dump()) == "sweep event: field \"run.config.attention.batch\" is missing");

    CHECK(stream_error_of(R"({"event":"progress","completed":1,"total":4294967296,"current":"","elapsed_s":0,)"
                          R"("eta_s":-1})")
        == "sweep event: field \"total\" is out of range, got 4294967296");
}

TEST_CASE("values convert through nlohmann's get and assignment", "[run_json]")
{
    const RunResult run = testing::sample_run_with_problems();
    const Json json = run;
    CHECK(run_json::dump(json, 2) + "\n" == to_json(run));
    CHECK(to_json(json.get<RunResult>()) == to_json(run));
    CHECK(Json(Device::cuda) == "cuda");
    CHECK(Json("fp16").get<Dtype>() == Dtype::fp16);
    CHECK_THROWS_AS(Json(3).get<Stats>(), run_json::FieldError);
}
