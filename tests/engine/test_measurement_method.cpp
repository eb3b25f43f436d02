// How a measurement is taken: the timed iterations of several variants in turns, and the memory a measurement
// needs (not the process's).

#include "compilescope/engine/sweep.h"
#include "engine/device_memory.h"
#include "engine/phase_timer.h"
#include "sweep_fixtures.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

using namespace compilescope;

namespace {

MeasureConfig fixed_iterations(int count)
{
    MeasureConfig measure;
    measure.fixed_iters = count;
    return measure;
}

engine::PhaseProgram recording(std::string& order, char name)
{
    engine::PhaseProgram program;
    program.step = [&order, name] { order += name; };
    return program;
}

} // namespace

TEST_CASE("programs timed in turns alternate one iteration each", "[engine][timer]")
{
    std::string order;
    const engine::PhaseProgram a = recording(order, 'a');
    const engine::PhaseProgram b = recording(order, 'b');
    const engine::PhaseProgram c = recording(order, 'c');
    const CancelToken cancel;
    const engine::PhaseTimer timer(Device::cpu, cancel);
    const std::vector<engine::TimedIterations> timed = timer.run_in_turns({ &a, &b, &c }, fixed_iterations(4));
    CHECK(order == "abcabcabcabc");
    REQUIRE(timed.size() == 3);
    for (const engine::TimedIterations& result : timed) {
        CHECK(result.samples_ms.size() == 4);
        CHECK_FALSE(result.cancelled);
    }
}

TEST_CASE("programs in turns are timed in the same rounds until every one is done", "[engine][timer]")
{
    using std::chrono::milliseconds;
    std::string order;
    auto sleeping = [&order](char name, std::function<int()> duration_ms) {
        engine::PhaseProgram program;
        program.step = [&order, name, duration_ms] {
            order += name;
            std::this_thread::sleep_for(milliseconds(duration_ms()));
        };
        return program;
    };
    int turn = 0;
    const engine::PhaseProgram baseline = sleeping('e', [] { return 1; });
    const engine::PhaseProgram noisy = sleeping('n', [&turn] { return ++turn % 2 == 0 ? 6 : 1; });
    const engine::PhaseProgram steady = sleeping('s', [] { return 1; });
    MeasureConfig measure;
    measure.min_iters = 3;
    measure.min_time_s = 0;
    measure.target_rel_error = 0.05; // steady meets it within a few turns, noisy never does
    measure.max_iters = 30;
    const CancelToken cancel;
    const engine::PhaseTimer timer(Device::cpu, cancel);
    const auto timed = timer.run_in_turns({ &baseline, &noisy, &steady }, measure);
    // The steady one met its rule early, but stays: every ratio compares iterations of the same span of time.
    CHECK(timed[0].samples_ms.size() == 30);
    CHECK(timed[1].samples_ms.size() == 30);
    CHECK(timed[2].samples_ms.size() == 30);
    CHECK(order.substr(0, 9) == "ensensens");
}

TEST_CASE("a program whose budget is spent ends the rounds for all, so the sample counts stay equal", "[engine][timer]")
{
    // Issue 25: a slow baseline spent its max_time after 5 iterations and left, while fused-sdpa went on to 26.
    using std::chrono::milliseconds;
    engine::PhaseProgram slow;
    slow.step = [] { std::this_thread::sleep_for(milliseconds(20)); };
    engine::PhaseProgram fast;
    int calls = 0;
    fast.step = [&calls] { std::this_thread::sleep_for(milliseconds(++calls % 2 == 0 ? 4 : 1)); }; // never steady
    MeasureConfig measure;
    measure.min_iters = 3;
    measure.min_time_s = 0;
    measure.max_time_s = 0.1; // about 5 of the slow one's iterations
    measure.target_rel_error = 0.001;
    const CancelToken cancel;
    const engine::PhaseTimer timer(Device::cpu, cancel);
    const auto timed = timer.run_in_turns({ &slow, &fast }, measure);
    CHECK(timed[0].samples_ms.size() >= 3);
    CHECK(timed[0].samples_ms.size() < 20);
    CHECK(timed[1].samples_ms.size() == timed[0].samples_ms.size());
}

TEST_CASE("a program that throws while taking turns leaves, and the others go on", "[engine][timer]")
{
    std::string order;
    const engine::PhaseProgram a = recording(order, 'a');
    int calls = 0;
    engine::PhaseProgram failing;
    failing.step = [&calls] {
        if (++calls == 2)
            throw std::runtime_error("step two failed");
    };
    const CancelToken cancel;
    const engine::PhaseTimer timer(Device::cpu, cancel);
    const auto timed = timer.run_in_turns({ &a, &failing }, fixed_iterations(5));
    CHECK(timed[0].samples_ms.size() == 5);
    CHECK_FALSE(timed[0].failure);
    REQUIRE(timed[1].failure);
    CHECK(timed[1].samples_ms.size() == 1);
    CHECK_THROWS_WITH(std::rethrow_exception(timed[1].failure), "step two failed");
}

TEST_CASE("cancelling stops every program taking turns", "[engine][timer]")
{
    CancelToken cancel;
    int calls = 0;
    engine::PhaseProgram a;
    a.step = [&] {
        if (++calls == 3)
            cancel.cancel();
    };
    const engine::PhaseProgram b = a;
    const engine::PhaseTimer timer(Device::cpu, cancel);
    const auto timed = timer.run_in_turns({ &a, &b }, fixed_iterations(100));
    CHECK(timed[0].cancelled);
    CHECK(timed[1].cancelled);
    CHECK(calls == 3);
}

TEST_CASE(
    "the memory meter counts what is allocated during the measurement, not what was held before", "[engine][memory]")
{
    const torch::Tensor held = torch::ones({ 32, 1024, 1024 }); // 128 MiB, allocated before the meter
    constexpr int64_t mib = 1024 * 1024;
    {
        const engine::PeakMemoryMeter nothing(Device::cpu);
        CHECK(nothing.peak_bytes() < mib);
        CHECK(nothing.kind() == "CPU allocations, peak over start");
    }
    const engine::PeakMemoryMeter meter(Device::cpu);
    {
        const torch::Tensor transient = torch::empty({ 16, 1024, 1024 }); // 64 MiB, freed before the reading
    }
    const torch::Tensor kept = torch::empty({ 8, 1024, 1024 }); // 32 MiB
    CHECK(meter.peak_bytes() >= 64 * mib);
    CHECK(meter.peak_bytes() < 100 * mib);
    CHECK(held.numel() > 0);
}

TEST_CASE("a sweep times its C++ variants in turns and says so in the run", "[engine][sweep]")
{
    SweepConfig config = tiny_config();
    config.attention.seq_lens = { 16 };
    config.variants = { "eager", "torchscript" };
    const RunResult run = run_sweep(config, {}, CancelToken {});
    CHECK(run.config.measure.interleave);
    for (const Measurement& measurement : run.measurements) {
        INFO(measurement.variant << " " << measurement.message);
        CHECK(measurement.ok());
        CHECK(measurement.memory_kind == "CPU allocations, peak over start");
        CHECK(measurement.peak_memory_bytes > 0);
        // An attention forward at d_model 16 x seq_len 16 needs kilobytes, not the process's hundreds of MiB.
        CHECK(measurement.peak_memory_bytes < 16 * 1024 * 1024);
    }
}
