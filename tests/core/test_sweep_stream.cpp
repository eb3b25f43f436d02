// The sweep worker's protocol: every event survives a line, and a bad line is refused with a reason.
#include "compilescope/reports.h"
#include "compilescope/sweep_stream.h"
#include "sample_run.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>

using namespace compilescope;

TEST_CASE("sweep events survive their line", "[stream]")
{
    const RunResult run = testing::sample_run_with_problems();

    SweepEvent finished;
    finished.kind = SweepEvent::Kind::finished;
    finished.run = run;
    const std::string line = stream_line(finished);
    CHECK(std::count(line.begin(), line.end(), '\n') == 1);
    CHECK(line.back() == '\n');
    const SweepEvent parsed = parse_stream_line(line);
    CHECK(parsed.kind == SweepEvent::Kind::finished);
    CHECK(to_json(parsed.run) == to_json(run));

    SweepEvent measurement;
    measurement.kind = SweepEvent::Kind::measurement;
    measurement.measurement = run.measurements.back();
    const SweepEvent measured = parse_stream_line(stream_line(measurement));
    CHECK(measured.measurement.variant == run.measurements.back().variant);
    CHECK(measured.measurement.samples_ms == run.measurements.back().samples_ms);
    CHECK(measured.measurement.message == run.measurements.back().message);

    SweepEvent progress;
    progress.kind = SweepEvent::Kind::progress;
    progress.progress = { 3, 12, "attention d_model=16 seq_len=64 forward 2 variants in turns, 40 iterations", 1.5,
        7.25, { "eager", "torchscript" }, { Workload::attention, 8, 16, 64 }, Phase::backward };
    const SweepEvent reported = parse_stream_line(stream_line(progress));
    CHECK(reported.progress.completed == 3);
    CHECK(reported.progress.total == 12);
    CHECK(reported.progress.current == progress.progress.current);
    CHECK(reported.progress.eta_s == 7.25);
    CHECK(reported.progress.running == std::vector<std::string> { "eager", "torchscript" });
    CHECK(reported.progress.running_cell == progress.progress.running_cell);
    CHECK(reported.progress.running_phase == Phase::backward);

    SweepEvent log;
    log.kind = SweepEvent::Kind::log;
    log.text = "two\nlines";
    const std::string log_line = stream_line(log);
    CHECK(std::count(log_line.begin(), log_line.end(), '\n') == 1);
    CHECK(parse_stream_line(log_line).text == "two\nlines");
}

TEST_CASE("a request carries the configuration", "[stream]")
{
    SweepEvent request;
    request.kind = SweepEvent::Kind::request;
    request.run.config.attention.d_models = { 16, 128 };
    request.run.config.measure.interleave = false;
    const SweepEvent parsed = parse_stream_line(stream_line(request));
    CHECK(parsed.kind == SweepEvent::Kind::request);
    CHECK(parsed.run.config.attention.d_models == std::vector<int64_t> { 16, 128 });
    CHECK_FALSE(parsed.run.config.measure.interleave);
}

TEST_CASE("a bad sweep event line is refused with the reason", "[stream]")
{
    CHECK_THROWS_WITH(parse_stream_line("not json"), Catch::Contains("malformed JSON"));
    CHECK_THROWS_WITH(parse_stream_line("[1]"), Catch::Contains("not a JSON object"));
    CHECK_THROWS_WITH(parse_stream_line(R"({"event":"party"})"), Catch::Contains("unknown event \"party\""));
    CHECK_THROWS_WITH(parse_stream_line(R"({"event":"log"})"), Catch::Contains("\"text\" is missing"));
    CHECK_THROWS_WITH(parse_stream_line(R"({"event":"progress","completed":"x"})"), Catch::Contains("wrong type"));
}

TEST_CASE("a worker that died costs what it was running, failed with how it died", "[stream]")
{
    SweepProgress last;
    last.running_cell = { Workload::attention, 8, 32, 128 };
    last.running_phase = Phase::forward;
    CHECK(died_while_running(last, {}, {}, "killed by signal 11 (Segmentation fault)").empty()); // between measurements

    last.running = { "torchscript" };
    Measurement planned;
    planned.cell = last.running_cell;
    planned.phase = Phase::forward;
    planned.variant = "torchscript";
    planned.flops = 1e6;
    planned.estimated_memory_bytes = 4096;
    const std::vector<Measurement> one
        = died_while_running(last, {}, { planned }, "killed by signal 11 (Segmentation fault)");
    REQUIRE(one.size() == 1);
    CHECK(one[0].cell == last.running_cell);
    CHECK(one[0].phase == Phase::forward);
    CHECK(one[0].variant == "torchscript");
    CHECK(one[0].status == MeasurementStatus::failed);
    CHECK(one[0].message == "the sweep worker died while it ran: killed by signal 11 (Segmentation fault)");
    CHECK(one[0].flops == 1e6); // as planned
    CHECK(one[0].estimated_memory_bytes == 4096);

    last.running = { "eager", "fused-sdpa" }; // timed in turns: either may have crashed
    const std::vector<Measurement> both = died_while_running(last, {}, {}, "killed by signal 6 (Aborted)");
    REQUIRE(both.size() == 2);
    CHECK(both[1].variant == "fused-sdpa");
    CHECK_THAT(both[0].message, Catch::Contains("2 variants were being timed in turns"));
    // One of them was reported before the worker died (between the phase's last report and the next progress).
    const std::vector<Measurement> rest = died_while_running(last, { both[0] }, {}, "killed by signal 6 (Aborted)");
    REQUIRE(rest.size() == 1);
    CHECK(rest[0].variant == "fused-sdpa");

    CHECK(crash_signal(SIGSEGV));
    CHECK(crash_signal(SIGABRT));
    CHECK_FALSE(crash_signal(SIGKILL)); // from outside: a user, the out-of-memory killer
    CHECK_FALSE(crash_signal(SIGTERM));
}
