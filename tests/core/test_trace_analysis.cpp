#include "compilescope/trace_analysis.h"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace compilescope;
using Json = nlohmann::json;

namespace {

Json event(const std::string& category, const std::string& name, double ts, double dur, int tid = 1)
{
    return { { "ph", "X" }, { "cat", category }, { "name", name }, { "ts", ts }, { "dur", dur }, { "pid", 1 },
        { "tid", tid } };
}

Json step(double ts, double dur)
{
    return event("user_annotation", profiled_step_name, ts, dur);
}

} // namespace

TEST_CASE("a CUDA trace gives kernels per iteration, the busy union and the top kernels", "[trace]")
{
    // Two iterations of 100 us. The first: kernels A [10, 40) and B [30, 60) overlap (busy 50 us) and a copy
    // [70, 80); the second: A [210, 240). Setup between the iterations launches C, which is not counted.
    const Json trace { { "traceEvents",
        { step(0, 100), step(200, 100), event("kernel", "A", 10, 30, 7), event("kernel", "B", 30, 30, 8),
            event("gpu_memcpy", "Memcpy DtoD", 70, 10, 7), event("kernel", "A", 210, 30, 7),
            event("kernel", "C", 150, 20, 7), event("cpu_op", "aten::mm", 5, 50),
            Json { { "ph", "i" }, { "name", "marker" } } } } };
    const ProfileSummary summary = summarize_trace(trace.dump(), Device::cuda, 0.1);
    CHECK(summary.iterations == 2);
    CHECK(summary.unit == "kernels");
    CHECK(summary.launches_per_iter == Approx(1.5)); // the copy keeps the GPU busy but launches no kernel
    CHECK(summary.busy_ms_per_iter == Approx((60.0 + 30.0) / 2 / 1e3));
    CHECK(summary.busy_share == Approx(0.045 / 0.1));
    CHECK(summary.profiled_iter_ms == Approx(0.1));
    REQUIRE(summary.top.size() == 3);
    CHECK(summary.top[0].name == "A");
    CHECK(summary.top[0].calls_per_iter == Approx(1));
    CHECK(summary.top[0].ms_per_iter == Approx(0.03));
    CHECK(summary.top[0].share == Approx(60.0 / 100.0));
    CHECK(summary.top[1].name == "B");
}

TEST_CASE("a CPU trace counts top-level operators only", "[trace]")
{
    // aten::linear encloses aten::addmm on thread 1; aten::relu runs on thread 1 after it; thread 2 runs aten::add.
    const Json trace { { "traceEvents",
        { step(0, 100), event("cpu_op", "aten::linear", 10, 40, 1), event("cpu_op", "aten::addmm", 15, 30, 1),
            event("cpu_op", "aten::relu", 60, 10, 1), event("cpu_op", "aten::add", 20, 10, 2),
            event("kernel", "ignored on the CPU", 0, 100, 3) } } };
    const ProfileSummary summary = summarize_trace(trace.dump(), Device::cpu, 0.2);
    CHECK(summary.unit == "operators");
    CHECK(summary.launches_per_iter == Approx(3));
    CHECK(summary.busy_ms_per_iter == Approx(0.05)); // [10, 50) and [60, 70), the add inside the linear
    CHECK(summary.busy_share == Approx(0.25));
    CHECK(summary.top[0].name == "aten::linear");
}

TEST_CASE("the busy share is at most 1 and a trace without iterations is refused", "[trace]")
{
    const Json busy { { "traceEvents", { step(0, 100), event("kernel", "K", 0, 100) } } };
    CHECK(summarize_trace(busy.dump(), Device::cuda, 0.05).busy_share == 1.0);
    const Json no_steps { { "traceEvents", { event("kernel", "K", 0, 100) } } };
    CHECK_THROWS_AS(summarize_trace(no_steps.dump(), Device::cuda, 1), std::runtime_error);
    CHECK_THROWS_AS(summarize_trace("not json", Device::cuda, 1), std::runtime_error);
    CHECK_THROWS_AS(summarize_trace("{\"traceEvents\": 3}", Device::cuda, 1), std::runtime_error);
}
