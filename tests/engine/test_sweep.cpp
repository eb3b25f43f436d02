#include "compilescope/allocator.h"
#include "compilescope/child_process.h"
#include "compilescope/engine/sweep.h"
#include "compilescope/engine/variants.h"
#include "compilescope/failpoints.h"
#include "compilescope/machine_load.h"
#include "engine/variant_registry.h"
#include "sweep_fixtures.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <utility>

using namespace compilescope;
using namespace compilescope::engine;

namespace {

/// A variant assembled from parts, registered by a test to provoke what real variants rarely do.
class TestVariant : public Variant {
public:
    std::string variant_name;
    Availability variant_availability { true, "" };
    std::function<PhaseProgram(const PhaseInputs&)> builder;

    std::string name() const override { return variant_name; }
    std::string description() const override { return "test variant"; }
    Availability availability(Device) const override { return variant_availability; }
    bool compiles() const override { return false; }
    PhaseProgram build(const PhaseInputs& inputs) const override { return builder(inputs); }
};

PhaseProgram eager_program(const PhaseInputs& inputs)
{
    return find_variant("eager")->build(inputs);
}

std::shared_ptr<TestVariant> test_variant(std::string name, std::function<PhaseProgram(const PhaseInputs&)> builder)
{
    auto variant = std::make_shared<TestVariant>();
    variant->variant_name = std::move(name);
    variant->builder = std::move(builder);
    return variant;
}

Measurement find(const RunResult& run, const std::string& variant, Phase phase = Phase::forward)
{
    for (const Measurement& m : run.measurements) {
        if (m.variant == variant && m.phase == phase) {
            return m;
        }
    }
    throw std::logic_error("no measurement for " + variant);
}

} // namespace

TEST_CASE("run_sweep measures every planned cell in plan order, with progress before each", "[engine][sweep]")
{
    const SweepConfig config = tiny_config();
    const int total = planned_measurements(config);
    REQUIRE(total == (2 * 3 + 2) * 2);

    std::vector<SweepProgress> progress;
    std::vector<std::string> order;
    std::vector<std::string> log;
    SweepCallbacks callbacks;
    callbacks.on_progress = [&](const SweepProgress& p) { progress.push_back(p); };
    callbacks.on_measurement = [&](const Measurement& m) {
        // At least one progress report per variant (building) and one for the timed iterations in turns.
        CHECK(int(progress.size()) > int(order.size()));
        order.push_back(key_of(m));
    };
    callbacks.on_log = [&](const std::string& line) { log.push_back(line); };
    CancelToken cancel;
    const RunResult run = run_sweep(config, callbacks, cancel);

    const std::vector<std::string> expected { "attention/8/16/forward/eager", "attention/8/16/forward/torchscript",
        "attention/8/16/backward/eager", "attention/8/16/backward/torchscript", "attention/8/16/forward_backward/eager",
        "attention/8/16/forward_backward/torchscript", "attention/8/32/forward/eager",
        "attention/8/32/forward/torchscript", "attention/8/32/backward/eager", "attention/8/32/backward/torchscript",
        "attention/8/32/forward_backward/eager", "attention/8/32/forward_backward/torchscript",
        "transformer_lm/16/8/forward/eager", "transformer_lm/16/8/forward/torchscript",
        "transformer_lm/16/8/train_step/eager", "transformer_lm/16/8/train_step/torchscript" };
    CHECK(order == expected);
    REQUIRE(int(run.measurements.size()) == total);
    // Per phase: building each variant, then their timed iterations in turns; completed counts finished phases.
    REQUIRE(int(progress.size()) >= total / 2 * 3 + 1);
    for (size_t i = 1; i < progress.size(); ++i) {
        CHECK(progress[i].completed >= progress[i - 1].completed);
        CHECK(progress[i].total == total);
        CHECK(progress[i].elapsed_s >= 0);
    }
    CHECK(progress[0].current == "attention d_model=8 seq_len=16 forward eager: building and warming up");
    CHECK(progress[1].current == "attention d_model=8 seq_len=16 forward torchscript: building and warming up");
    CHECK(progress[2].current == "attention d_model=8 seq_len=16 forward 2 variants in turns");
    // The time left is the estimate before anything finished (issue 25), then recalibrated; never negative.
    for (const SweepProgress& step : progress)
        CHECK(step.eta_s >= 0);
    CHECK(progress[0].eta_s > 0);
    CHECK(progress.back().eta_s == 0);
    CHECK(progress.back().completed == total);
    CHECK_FALSE(run.cancelled);
    CHECK_FALSE(run.started_at.empty());
    CHECK(run.wall_time_s > 0);
    CHECK(run.environment.torch_threads > 0);

    for (const Measurement& m : run.measurements) {
        INFO(key_of(m) << ": " << m.message);
        REQUIRE(m.status == MeasurementStatus::ok);
        CHECK(m.stats.n == 2);
        CHECK(m.samples_ms.size() == 2);
        CHECK(m.stats.mean_ms > 0);
        CHECK(m.first_call_ms.has_value());
        CHECK(m.flops > 0);
        CHECK(m.estimated_memory_bytes > 0);
        CHECK(m.peak_memory_bytes > 0);
        CHECK(m.memory_kind == "CPU allocations, peak over start");
        if (m.variant == "eager") {
            CHECK_FALSE(m.compile_ms.has_value());
            CHECK_FALSE(m.correctness.checked);
            CHECK(m.warmup_iters >= 1); // more when the kept heap was still growing
        } else {
            CHECK(m.compile_ms.has_value());
            CHECK(m.correctness.checked);
            CHECK(m.correctness.passed);
            CHECK(m.correctness.tolerance == 1e-4);
            CHECK(m.warmup_iters >= 2); // TorchScript's profiling and optimizing runs
            CHECK_FALSE(m.notes.empty());
        }
    }
    CHECK_THAT(find(run, "torchscript", Phase::train_step).notes.back(), Catch::Contains("fusion"));
    CHECK(std::any_of(log.begin(), log.end(), [](const std::string& line) { return line.rfind("built", 0) == 0; }));
}

TEST_CASE("cancelling from a callback keeps finished measurements and marks the rest", "[engine][sweep]")
{
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    CancelToken cancel;
    SweepCallbacks callbacks;
    int seen = 0;
    callbacks.on_measurement = [&](const Measurement&) {
        if (++seen == 3) {
            cancel.cancel();
        }
    };
    const RunResult run = run_sweep(config, callbacks, cancel);
    CHECK(run.cancelled);
    REQUIRE(int(run.measurements.size()) == planned_measurements(config));
    // A phase's variants are timed together and reported together: the second phase was done when the cancel came.
    for (size_t i = 0; i < run.measurements.size(); ++i) {
        INFO(i);
        CHECK(run.measurements[i].status == (i < 4 ? MeasurementStatus::ok : MeasurementStatus::cancelled));
    }
    CHECK(run.measurements[4].message == "not started: the sweep was cancelled");
}

TEST_CASE("cancelling inside a timed iteration marks that measurement cancelled", "[engine][sweep]")
{
    CancelToken cancel;
    const ScopedVariantRegistration registration(test_variant("cancels", [&cancel](const PhaseInputs& inputs) {
        PhaseProgram program = eager_program(inputs);
        auto calls = std::make_shared<int>(0);
        const auto step = program.step;
        // The first call, one warm-up and the correctness call pass; the first timed iteration cancels.
        program.step = [step, calls, &cancel] {
            step();
            if (++*calls == 4) {
                cancel.cancel();
            }
        };
        return program;
    }));
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.attention.seq_lens = { 16 };
    config.variants = { "eager", "cancels" };
    const RunResult run = run_sweep(config, {}, cancel);
    CHECK(run.cancelled);
    // Eager and the variant take turns: both stop after their first timed iteration.
    CHECK(run.measurements[0].status == MeasurementStatus::cancelled);
    CHECK(run.measurements[0].message == "cancelled after 1 timed iterations");
    CHECK(run.measurements[1].status == MeasurementStatus::cancelled);
    CHECK(run.measurements[1].message == "cancelled after 1 timed iterations");
    CHECK(run.measurements[1].stats.n == 0);
    CHECK(run.measurements[2].status == MeasurementStatus::cancelled);
}

TEST_CASE("a throwing variant fails its measurements and the sweep goes on", "[engine][sweep]")
{
    const ScopedVariantRegistration registration(test_variant("throws", [](const PhaseInputs&) -> PhaseProgram {
        throw std::runtime_error("kernel exploded\nsecond line\nthird line is dropped");
    }));
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.attention.seq_lens = { 16 };
    config.variants = { "eager", "throws", "torchscript" };
    std::vector<std::string> log;
    SweepCallbacks callbacks;
    callbacks.on_log = [&](const std::string& line) { log.push_back(line); };
    const RunResult run = run_sweep(config, callbacks, CancelToken());
    REQUIRE(run.measurements.size() == 9);
    for (const Measurement& m : run.measurements) {
        INFO(key_of(m));
        if (m.variant == "throws") {
            CHECK(m.status == MeasurementStatus::failed);
            CHECK(m.message == "kernel exploded second line");
        } else {
            CHECK(m.status == MeasurementStatus::ok);
        }
    }
    CHECK(std::any_of(log.begin(), log.end(),
        [](const std::string& line) { return line.find("kernel exploded") != std::string::npos; }));
}

TEST_CASE("a failure that leaves the device unusable ends its phase whole; later measurements are not started",
    "[engine][sweep][fault]")
{
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    // The second measurement (torchscript, first cell's forward) fails; the device then counts as lost.
    failpoints::configure("measurement=error@2,device_lost=lost");
    std::vector<std::string> log;
    SweepCallbacks callbacks;
    callbacks.on_log = [&log](const std::string& line) { log.push_back(line); };
    const RunResult run = run_sweep(config, callbacks, CancelToken());
    failpoints::configure("");
    REQUIRE(run.measurements.size() == 2 * 3 * 2);
    const std::string lost = "the cpu device is unusable in this process since attention d_model=8 seq_len=16 "
                             "forward torchscript failed: injected fault (lost)";
    CHECK_THAT(log, Catch::VectorContains(lost));
    CHECK_FALSE(run.cancelled);
    for (size_t i = 0; i < run.measurements.size(); ++i) {
        const Measurement& m = run.measurements[i];
        INFO(key_of(m) << ": " << m.message);
        if (i == 0) {
            // Eager was built and checked, not yet timed: it cannot be on this device any more.
            CHECK(m.status == MeasurementStatus::failed);
            CHECK(m.message == "not measured: " + lost);
        } else if (i == 1) {
            CHECK(m.status == MeasurementStatus::failed);
            CHECK(m.message == "injected fault (error)");
        } else {
            // Cancelled, so that a resume (in a fresh process) runs them.
            CHECK(m.status == MeasurementStatus::cancelled);
            CHECK(m.message == "not started: " + lost);
        }
    }
}

TEST_CASE("a sweep whose device is unusable returns after the phase when a fresh process will take over",
    "[engine][sweep][fault]")
{
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.variants = { "eager", "torchscript" };
    failpoints::configure("measurement=error@1,device_lost=lost");
    std::vector<std::string> handed_over;
    SweepCallbacks callbacks;
    callbacks.on_device_unusable = [&handed_over](const std::string& why) {
        handed_over.push_back(why);
        return true;
    };
    const RunResult run = run_sweep(config, callbacks, CancelToken());
    failpoints::configure("");
    CHECK(handed_over.size() == 1);
    CHECK(run.cancelled);
    // Eager failed first: the phase is reported whole, torchscript failed with the reason, nothing after it.
    REQUIRE(run.measurements.size() == 2);
    CHECK(run.measurements[0].status == MeasurementStatus::failed);
    CHECK(run.measurements[1].status == MeasurementStatus::failed);
    CHECK_THAT(run.measurements[1].message, Catch::StartsWith("not measured: the cpu device is unusable"));
}

TEST_CASE("a LibTorch error inside a cell is reported without its backtrace", "[engine][sweep]")
{
    const ScopedVariantRegistration registration(test_variant("bad-shapes", [](const PhaseInputs& inputs) {
        PhaseProgram program = eager_program(inputs);
        program.step = [&inputs] { torch::matmul(inputs.q, inputs.q); };
        return program;
    }));
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.attention.seq_lens = { 16 };
    config.phases = { Phase::forward };
    config.variants = { "eager", "bad-shapes" };
    const RunResult run = run_sweep(config, {}, CancelToken());
    const Measurement failed = find(run, "bad-shapes");
    CHECK(failed.status == MeasurementStatus::failed);
    CHECK_THAT(failed.message, Catch::StartsWith("Expected size"));
    CHECK_THAT(failed.message, !Catch::Contains("frame #"));
}

TEST_CASE("a variant with wrong outputs fails its correctness check", "[engine][sweep]")
{
    const ScopedVariantRegistration registration(test_variant("off-by-one", [](const PhaseInputs& inputs) {
        PhaseProgram program = eager_program(inputs);
        const auto results = program.results;
        program.results = [results] {
            std::vector<NamedTensor> tensors = results();
            tensors.front().tensor.add_(1.0);
            return tensors;
        };
        return program;
    }));
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.attention.seq_lens = { 16 };
    config.phases = { Phase::forward };
    config.variants = { "eager", "off-by-one", "torchscript" };
    const RunResult run = run_sweep(config, {}, CancelToken());
    const Measurement wrong = find(run, "off-by-one");
    CHECK(wrong.status == MeasurementStatus::failed);
    CHECK(wrong.correctness.checked);
    CHECK_FALSE(wrong.correctness.passed);
    CHECK(wrong.correctness.max_abs_error == Approx(1.0));
    CHECK(wrong.correctness.max_rel_error > 1e-4);
    CHECK_THAT(wrong.message, Catch::Contains("output") && Catch::Contains("tolerance"));
    CHECK(wrong.stats.n == 0);
    CHECK(find(run, "torchscript").status == MeasurementStatus::ok);
}

TEST_CASE("a train step whose optimizer update is off fails its check", "[engine][sweep]")
{
    const ScopedVariantRegistration registration(test_variant("lazy-optimizer", [](const PhaseInputs& inputs) {
        PhaseProgram program = eager_program(inputs);
        const auto results = program.results;
        program.results = [results] {
            std::vector<NamedTensor> tensors = results();
            for (NamedTensor& tensor : tensors) {
                if (tensor.name.rfind(updated_prefix, 0) == 0) {
                    tensor.tensor.sub_(1e-3);
                }
            }
            return tensors;
        };
        return program;
    }));
    SweepConfig config = tiny_config();
    config.workloads = { Workload::transformer_lm };
    config.phases = { Phase::train_step };
    config.variants = { "eager", "lazy-optimizer" };
    const RunResult run = run_sweep(config, {}, CancelToken());
    const Measurement wrong = find(run, "lazy-optimizer", Phase::train_step);
    CHECK(wrong.status == MeasurementStatus::failed);
    CHECK_THAT(wrong.message, Catch::Contains("updated ") && Catch::Contains("eager AdamW"));
    CHECK(wrong.correctness.max_abs_error == Approx(1e-3).epsilon(0.01));
}

TEST_CASE("cells over the memory limit are skipped with both numbers", "[engine][sweep]")
{
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.memory_limit_bytes = 1000;
    std::vector<std::string> log;
    SweepCallbacks callbacks;
    callbacks.on_log = [&](const std::string& line) { log.push_back(line); };
    const RunResult run = run_sweep(config, callbacks, CancelToken());
    REQUIRE(int(run.measurements.size()) == planned_measurements(config));
    for (const Measurement& m : run.measurements) {
        CHECK(m.status == MeasurementStatus::skipped);
        CHECK_THAT(m.message, Catch::Contains(std::to_string(m.estimated_memory_bytes) + " bytes"));
        CHECK_THAT(m.message, Catch::Contains("exceeds memory_limit_bytes 1000 B (1000 bytes)"));
    }
    // One line per skipped measurement (besides the roofline's peaks at the start).
    CHECK(std::count_if(log.begin(), log.end(), [](const std::string& line) {
        return line.find("memory_limit_bytes") != std::string::npos;
    }) == 6);
}

TEST_CASE("an unavailable variant is reported unavailable with its reason", "[engine][sweep]")
{
    auto variant = test_variant("needs-hardware", eager_program);
    variant->variant_availability = { false, "needs hardware this machine lacks" };
    const ScopedVariantRegistration registration(variant);
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.attention.seq_lens = { 16 };
    config.variants = { "eager", "needs-hardware" };
    const RunResult run = run_sweep(config, {}, CancelToken());
    const Measurement unavailable = find(run, "needs-hardware");
    CHECK(unavailable.status == MeasurementStatus::unavailable);
    CHECK(unavailable.message == "needs hardware this machine lacks");
    CHECK(find(run, "eager").ok());
}

TEST_CASE("page faults inside the timed region are reported", "[engine][sweep]")
{
    // 64 MiB score matrices: above glibc's largest mmap threshold, so under `system` each is a fresh mmap.
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.attention.d_models = { 8 };
    config.attention.seq_lens = { 2048 };
    config.attention.batch = 4;
    config.phases = { Phase::forward };
    config.variants = { "eager" };
    config.allocator = AllocatorPolicy::system;
    config.measure.fixed_iters = 2;
    const RunResult run = run_sweep(config, {}, CancelToken());
    const std::vector<std::string>& notes = run.measurements.at(0).notes;
    CHECK(std::any_of(notes.begin(), notes.end(), [](const std::string& note) {
        return note.rfind("page faults: ", 0) == 0
            && note.find("MiB of fresh memory per timed iteration") != std::string::npos;
    }));
    apply_allocator_policy(AllocatorPolicy::keep);
}

TEST_CASE("an invalid configuration is rejected before anything runs", "[engine][sweep]")
{
    SweepConfig config = tiny_config();
    config.attention.d_models = { -4 };
    int measurements = 0;
    SweepCallbacks callbacks;
    callbacks.on_measurement = [&](const Measurement&) { ++measurements; };
    CHECK_THROWS_AS(run_sweep(config, callbacks, CancelToken()), std::invalid_argument);
    CHECK(measurements == 0);
}

TEST_CASE("adaptive timing stops within its bounds", "[engine][sweep]")
{
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.attention.seq_lens = { 16 };
    config.phases = { Phase::forward };
    config.variants = { "eager" };
    config.measure.fixed_iters = 0;
    config.measure.min_iters = 4;
    config.measure.max_iters = 7;
    config.measure.min_time_s = 10.0;
    config.measure.max_time_s = 10.0;
    const RunResult run = run_sweep(config, {}, CancelToken());
    REQUIRE(run.measurements.size() == 1);
    CHECK(run.measurements[0].stats.n == 7);
}

TEST_CASE("on CUDA every phase of eager and TorchScript runs and agrees, in each dtype", "[engine][sweep][cuda]")
{
    if (!cuda_available()) {
        WARN("not run: " << device_availability(Device::cuda).reason);
        return;
    }
    for (Dtype dtype : { Dtype::fp32, Dtype::tf32, Dtype::bf16, Dtype::fp16 }) {
        SweepConfig config = tiny_config();
        config.device = Device::cuda;
        config.dtype = dtype;
        const RunResult run = run_sweep(config, {}, CancelToken());
        for (const Measurement& m : run.measurements) {
            INFO(to_string(dtype) << " " << key_of(m) << ": " << m.message << " " << m.correctness.detail);
            CHECK(m.status == MeasurementStatus::ok);
            CHECK(m.memory_kind == "CUDA allocations, peak over start");
            CHECK(m.peak_memory_bytes > 0);
            if (m.variant == "torchscript") {
                CHECK(m.correctness.passed);
                CHECK_THAT(m.notes.back(), Catch::StartsWith("TorchScript"));
            }
        }
    }
}

TEST_CASE(
    "a sweep beside a CPU burner comes out marked as measured under load; alone it is less loaded", "[engine][load]")
{
    SweepConfig config = tiny_config();
    config.workloads = { Workload::attention };
    config.phases = { Phase::forward };
    config.measure.fixed_iters = 0;
    config.measure.min_time_s = 0.3; // windows long enough for the kernel's 10-ms accounting
    config.measure.max_time_s = 0.4;
    config.threads = 1;
    auto sweep = [&config] {
        const RunResult run = run_sweep(config, {}, CancelToken {});
        double lowest = 1;
        for (const Measurement& m : run.measurements) {
            INFO(m.variant << ": " << m.message);
            REQUIRE(m.ok());
            REQUIRE(m.load);
            lowest = std::min(lowest, m.load->others_cpu_share);
        }
        return std::pair { run, lowest };
    };

    const RunResult alone = sweep().first;
    double burdened_share = 0;
    {
        // One burner per CPU: whatever else runs (ctest runs two tests at once), others use most of the machine.
        std::vector<std::unique_ptr<ChildProcess>> burners;
        for (long i = 0; i < ::sysconf(_SC_NPROCESSORS_ONLN); ++i)
            burners.push_back(std::make_unique<ChildProcess>(
                std::vector<std::string> { "sh", "-c", "while :; do :; done" }, std::vector<std::string> {}));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto [burdened, share] = sweep();
        burdened_share = share;
        for (const Measurement& m : burdened.measurements) {
            INFO(m.variant << ": " << describe(*m.load));
            CHECK(m.load->busy());
            CHECK(std::find(m.notes.begin(), m.notes.end(), under_load_note(*m.load)) != m.notes.end());
        }
    }
    CHECK(burdened_share > 0.4); // a burner per CPU takes at least half of each
    // Alone is not asserted unmarked: ctest runs two tests at once, and a CI machine is shared. Said, not failed.
    for (const Measurement& m : alone.measurements) {
        if (m.load->busy())
            WARN("measured under load without the burner (another job?): " << describe(*m.load));
    }
}
