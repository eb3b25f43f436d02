// The machine's load around a measurement (compilescope/machine_load.h): the arithmetic on /proc/stat readings, the
// busy rule, and the field in the run file.
#include "compilescope/machine_load.h"
#include "compilescope/reports.h"
#include "compilescope/run_json.h"
#include "compilescope/run_validation.h"
#include "sample_run.h"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace compilescope;

namespace {

/// A /proc/stat "cpu" line from seconds of each kind of time, at this kernel's tick rate.
std::string cpu_line(double user_s, double idle_s, double steal_s)
{
    const double hz = double(::sysconf(_SC_CLK_TCK));
    return "cpu  " + std::to_string(int64_t(user_s * hz)) + " 0 0 " + std::to_string(int64_t(idle_s * hz)) + " 0 0 0 "
        + std::to_string(int64_t(steal_s * hz)) + " 0 0";
}

} // namespace

TEST_CASE("the load is the machine's busy time less this process's own, over all CPUs", "[load]")
{
    // 2 CPUs for 1 s: 2 s of CPU time, of which 1.5 s busy; this process used 0.5 s of it.
    const auto before = LoadProbe::from(cpu_line(10, 100, 0), 2, 3.0, 40, 1000.0);
    const auto after = LoadProbe::from(cpu_line(11.5, 100.5, 0), 2, 3.5, 140, 1001.0);
    REQUIRE(before);
    REQUIRE(after);
    const MachineLoad load = after->since(*before);
    CHECK(load.others_cpu_share == Approx(0.5).margin(0.02)); // 1.0 s of 2.0
    CHECK(load.steal_share == Approx(0.0));
    CHECK(load.involuntary_switches_per_s == Approx(100.0));
    CHECK(load.cpus == 2);
    CHECK(load.window_s == Approx(1.0));
    CHECK(load.busy());
    CHECK(describe(load) == "other processes used 50% of the 2 CPUs (steal 0%, 100 preemptions/s)");
    CHECK(under_load_note(load).rfind("measured under load: other processes used 50%", 0) == 0);
}

TEST_CASE("a machine is busy from a tenth of its CPUs used by others, or 5% steal, beyond a tick's noise", "[load]")
{
    const double tick_s = 1.0 / double(::sysconf(_SC_CLK_TCK)); // 10 ms at 100 Hz
    MachineLoad load;
    load.window_s = 1.0;
    load.others_cpu_share = 0.05;
    CHECK_FALSE(load.busy());
    load.others_cpu_share = 0.10 + tick_s / load.window_s + 0.001;
    CHECK(load.busy());
    load.others_cpu_share = 0.10 + tick_s / load.window_s - 0.001; // within one tick per CPU of the line
    CHECK_FALSE(load.busy());
    load.others_cpu_share = 0;
    load.steal_share = 0.05 + tick_s / load.window_s + 0.001;
    CHECK(load.busy());
    load.steal_share = 0;
    load.window_s = 0.05; // five ticks: one stray tick per CPU is a fifth of the CPUs' time
    load.others_cpu_share = 0.25;
    CHECK_FALSE(load.busy());
    load.others_cpu_share = 0.35;
    CHECK(load.busy());
    load.window_s = 0.02; // two ticks of the kernel's accounting say nothing
    load.others_cpu_share = 1.0;
    CHECK_FALSE(load.busy());

    // Alone: this process's own time is not load.
    const auto before = LoadProbe::from(cpu_line(10, 100, 0), 2, 3.0, 0, 0.0);
    const auto after = LoadProbe::from(cpu_line(11, 101, 0.0), 2, 4.0, 0, 1.0);
    CHECK(after->since(*before).others_cpu_share == Approx(0.0).margin(0.02));
    CHECK_FALSE(LoadProbe::from("intr 1 2 3", 2, 0, 0, 0)); // not the cpu line
    CHECK(LoadProbe::now()); // Linux
}

TEST_CASE("another process on the GPU makes a measurement busy, however quiet the CPUs", "[load]")
{
    MachineLoad load;
    load.cpus = 2;
    load.window_s = 0.01; // too short for the CPUs' accounting: the GPU's process list needs no window
    CHECK_FALSE(load.busy());
    load.gpu_other_processes = 0;
    CHECK_FALSE(load.busy());
    CHECK(describe(load).find("GPU") == std::string::npos);
    load.gpu_other_processes = 2;
    CHECK(load.busy());
    CHECK_THAT(describe(load), Catch::EndsWith("; 2 other processes on the GPU"));
    load.gpu_other_processes = 1;
    CHECK_THAT(describe(load), Catch::EndsWith("; 1 other process on the GPU"));
}

TEST_CASE("the load goes into the run file and back, and older runs have none", "[load][json]")
{
    RunResult run = testing::sample_run();
    MachineLoad load;
    load.others_cpu_share = 0.48;
    load.steal_share = 0.01;
    load.involuntary_switches_per_s = 310;
    load.cpus = 2;
    load.window_s = 0.6;
    run.measurements.front().load = load;
    const RunResult back = parse_run_json(to_json(run));
    REQUIRE(back.measurements.front().load);
    CHECK(back.measurements.front().load->others_cpu_share == 0.48);
    CHECK(back.measurements.front().load->cpus == 2);
    CHECK_FALSE(back.measurements.back().load);

    auto json = run_json::Json::parse(to_json(run));
    json["measurements"][0].erase("load"); // written before the field existed
    CHECK_FALSE(parse_run_json(json.dump()).measurements.front().load);

    CHECK_FALSE(back.measurements.front().load->gpu_other_processes); // not known: written as null
    run.measurements.front().load->gpu_other_processes = 1;
    CHECK(parse_run_json(to_json(run)).measurements.front().load->gpu_other_processes == 1);
    json = run_json::Json::parse(to_json(run));
    json["measurements"][0]["load"].erase("gpu_other_processes"); // written before the field existed
    CHECK_FALSE(parse_run_json(json.dump()).measurements.front().load->gpu_other_processes);

    run.measurements.front().load->others_cpu_share = -1;
    const std::vector<ConfigError> errors = validate_run(run);
    REQUIRE(errors.size() == 1);
    CHECK(errors.front().field.find("load.others_cpu_share") != std::string::npos);
}
