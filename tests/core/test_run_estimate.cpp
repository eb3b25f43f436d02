// The estimate before Run (issue 25 item 4), on made-up machines: what it counts and how the parts add up. No
// timing is asserted: the figures come from the facts the test gives.
#include "compilescope/presets.h"
#include "compilescope/run_estimate.h"
#include "compilescope/sweep_plan.h"
#include "compilescope/variant_names.h"
#include "machine_pace.h"
#include "sweep_estimate.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace compilescope;
using engine::MachineFacts;

namespace {

/// Every built-in variant that runs on a CPU: no CUDA graphs, no reduce-overhead.
std::vector<std::string> cpu_variants()
{
    std::vector<std::string> names;
    for (const VariantTraits& traits : builtin_variants()) {
        if (!traits.cuda_graph && traits.name != torch_compile_ro_variant)
            names.push_back(traits.name);
    }
    return names;
}

SweepConfig quick_every_variant()
{
    SweepConfig config;
    apply_preset(*find_preset("seed"), config);
    apply_quick(config);
    config.variants = cpu_variants();
    return config;
}

/// A machine with round numbers: 100 GFLOP/s, 20 GB/s, the CPU's measured costs.
MachineFacts made_up_machine()
{
    MachineFacts facts;
    facts.peaks.flops_per_s = 100e9;
    facts.peaks.bytes_per_s = 20e9;
    facts.costs = engine::device_costs(Device::cpu);
    facts.aoti_jobs = 1;
    return facts;
}

double sum_of_parts(const RunEstimate& estimate)
{
    return estimate.start_s + estimate.export_s + estimate.compile_s + estimate.measuring_s;
}

const MeasurementEstimate& planned(
    const RunEstimate& estimate, Workload workload, int64_t d_model, int64_t seq_len, Phase phase, const char* variant)
{
    const auto found = std::find_if(estimate.plan.begin(), estimate.plan.end(), [&](const MeasurementEstimate& m) {
        return m.cell.workload == workload && m.cell.d_model == d_model && m.cell.seq_len == seq_len && m.phase == phase
            && m.variant == variant;
    });
    REQUIRE(found != estimate.plan.end());
    return *found;
}

} // namespace

TEST_CASE(
    "the quick preset with every variant counts its exports, compiles and Python start-up", "[estimate][run_estimate]")
{
    const SweepConfig config = quick_every_variant();
    const RunEstimate estimate = engine::estimate_sweep(config, made_up_machine());
    const int phases = 4 * 3 + 2; // four attention cells x three phases, the model's forward and train step
    CHECK(estimate.measurements == phases * int(config.variants.size()));
    CHECK(estimate.plan.size() == size_t(estimate.measurements));
    CHECK(estimate.exports == phases); // one package per (cell, phase), none cached
    CHECK(estimate.exports_cached == 0);
    CHECK(estimate.compiles == 2 * phases); // torch.compile and TorchScript, per (cell, phase)
    CHECK(estimate.starts_python);
    CHECK(estimate.roofs_known);
    CHECK(estimate.seconds == Approx(sum_of_parts(estimate)));
    CHECK(estimate.low_s < estimate.seconds);
    CHECK(estimate.seconds < estimate.high_s);
    CHECK(estimate.export_each_s == Approx(estimate.export_s / phases));

    // The Python child starts once, with the first Python variant; the sweep's first torch.compile warms up.
    const MeasurementEstimate& first_python
        = planned(estimate, Workload::attention, 16, 256, Phase::forward, py_eager_variant);
    const MeasurementEstimate& later_python
        = planned(estimate, Workload::attention, 16, 1024, Phase::forward, py_eager_variant);
    CHECK(first_python.one_off_s > 0);
    CHECK(later_python.one_off_s == 0);
    const MeasurementEstimate& first_compile
        = planned(estimate, Workload::attention, 16, 256, Phase::forward, torch_compile_variant);
    const MeasurementEstimate& later_compile
        = planned(estimate, Workload::attention, 16, 1024, Phase::forward, torch_compile_variant);
    CHECK(first_compile.one_off_s > later_compile.one_off_s);
    // A larger graph compiles longer; forward_backward's graphs are in the sweep's Inductor cache by then.
    const int64_t d = config.model.d_model;
    const int64_t s = config.model.seq_len;
    CHECK(planned(estimate, Workload::transformer_lm, d, s, Phase::train_step, torch_compile_variant).one_off_s
        > planned(estimate, Workload::transformer_lm, d, s, Phase::forward, torch_compile_variant).one_off_s);
    CHECK(planned(estimate, Workload::transformer_lm, d, s, Phase::forward, torch_compile_variant).one_off_s
        > later_compile.one_off_s);
    CHECK(planned(estimate, Workload::attention, 16, 1024, Phase::forward_backward, torch_compile_variant).one_off_s
        < later_compile.one_off_s);
    CHECK(planned(estimate, Workload::attention, 16, 1024, Phase::forward, eager_variant).one_off_s == 0);

    CHECK(estimate_parts_text(estimate).find("14 AOTInductor exports") != std::string::npos);
    CHECK(estimate_parts_text(estimate).find("Python start-up and 28 compiles") != std::string::npos);
    CHECK(estimate_duration_text(estimate).rfind("about ", 0) == 0);
}

TEST_CASE(
    "cached packages, variants that cannot run and cells that do not fit cost nothing", "[estimate][run_estimate]")
{
    const SweepConfig config = quick_every_variant();
    MachineFacts facts = made_up_machine();
    const RunEstimate fresh = engine::estimate_sweep(config, facts);

    facts.package_cached = [](const engine::Cell&, Phase) { return true; };
    const RunEstimate cached = engine::estimate_sweep(config, facts);
    CHECK(cached.exports == 0);
    CHECK(cached.exports_cached == fresh.exports);
    CHECK(cached.export_s == 0);
    CHECK(cached.seconds == Approx(fresh.seconds - fresh.export_s));
    CHECK(estimate_parts_text(cached).find("14 AOTInductor packages cached") != std::string::npos);

    facts.runs = [](const std::string& name) { return !is_python_variant(name); };
    const RunEstimate no_python = engine::estimate_sweep(config, facts);
    CHECK_FALSE(no_python.starts_python);
    CHECK(no_python.compiles == 14); // TorchScript only
    for (const MeasurementEstimate& m : no_python.plan) {
        if (is_python_variant(m.variant))
            CHECK(m.work_s + m.one_off_s == 0);
    }
    CHECK(no_python.measurements == fresh.measurements); // still planned: they are reported unavailable

    facts = made_up_machine();
    facts.memory_limit_bytes = 1; // nothing fits
    const RunEstimate none_fit = engine::estimate_sweep(config, facts);
    CHECK(none_fit.cells_over_limit == 14);
    CHECK(none_fit.exports == 0);
    CHECK(none_fit.seconds == 0);
    CHECK(none_fit.largest_memory_bytes > 0);
}

TEST_CASE("exporters at once share the exports' time", "[estimate][run_estimate]")
{
    const SweepConfig config = quick_every_variant();
    MachineFacts facts = made_up_machine();
    const RunEstimate one = engine::estimate_sweep(config, facts);
    facts.aoti_jobs = 4;
    const RunEstimate four = engine::estimate_sweep(config, facts);
    CHECK(four.export_s == Approx(one.export_s / 4));
    facts.aoti_jobs = 100; // more exporters than packages: one each
    CHECK(engine::estimate_sweep(config, facts).export_s == Approx(one.export_s / 14));
}

TEST_CASE("the stopping rule ends between min and max, where the standard error is met", "[estimate][run_estimate]")
{
    MeasureConfig measure; // min_time 0.5 s, max_time 10 s, min_iters 10, max_iters 1000, target 1 %
    measure.min_iters = 5; // below max_time's 10 one-second iterations, so that both rules show
    // 1/1024 s iterations: min_time wants 512, the standard error at 5 % noise (5 / 1)^2 = 25, max_iters caps at
    // 1000 before max_time's 10240.
    engine::IterationCounts counts = engine::timed_iterations(measure, 1.0 / 1024, 0.05);
    CHECK(counts.fewest == 512);
    CHECK(counts.typical == 512);
    CHECK(counts.most == 1000);
    // 1 s iterations: min_iters 5 then the standard error (25), but max_time stops at 10.
    counts = engine::timed_iterations(measure, 1.0, 0.05);
    CHECK(counts.fewest == 5);
    CHECK(counts.typical == 10);
    CHECK(counts.most == 10);
    // 30 s iterations: min_iters wins over max_time.
    counts = engine::timed_iterations(measure, 30.0, 0.05);
    CHECK(counts.fewest == 5);
    CHECK(counts.most == 5);
    measure.fixed_iters = 7;
    counts = engine::timed_iterations(measure, 1e-3, 0.05);
    CHECK(counts.fewest == 7);
    CHECK(counts.typical == 7);
    CHECK(counts.most == 7);
}

TEST_CASE("variants timed in turns take the same rounds, and an iteration never beats its dispatch floor",
    "[estimate][run_estimate]")
{
    SweepConfig config;
    config.workloads = { Workload::attention };
    config.attention.d_models = { 16 };
    config.attention.seq_lens = { 256 };
    config.phases = { Phase::forward };
    config.variants = { eager_variant, aot_inductor_variant };
    MachineFacts facts = made_up_machine();
    facts.costs.measurement_overhead_s = 0;
    facts.costs.settle_iterations = 0;
    facts.costs.noise_cv = 0.01; // the standard error is met at once: min_time decides
    // With no roofs an iteration is its dispatch floor: 5 operators of 10 ms for eager (50 ms: 10 iterations fill
    // min_time), half that for AOTInductor's fused kernels (20 iterations).
    facts.peaks = {};
    facts.costs.operator_s = 1e-2;

    config.measure.interleave = true;
    const RunEstimate in_turns = engine::estimate_sweep(config, facts);
    CHECK_FALSE(in_turns.roofs_known);
    const double eager = planned(in_turns, Workload::attention, 16, 256, Phase::forward, eager_variant).work_s;
    const double aoti = planned(in_turns, Workload::attention, 16, 256, Phase::forward, aot_inductor_variant).work_s;
    CHECK(eager == Approx(2 * aoti)); // the same rounds, each eager iteration twice as long
    CHECK(aoti == Approx((3 + 2 + 20) * 0.025)); // warm-ups, first call, checked call, 20 rounds
    CHECK(estimate_parts_text(in_turns).find("no device roofs") != std::string::npos);

    config.measure.interleave = false; // alone, eager stops at its own 10 iterations
    const RunEstimate alone = engine::estimate_sweep(config, facts);
    CHECK(planned(alone, Workload::attention, 16, 256, Phase::forward, eager_variant).work_s
        == Approx((3 + 2 + 10) * 0.05));
}

TEST_CASE("the seed grid with every variant is estimated far above the quick preset", "[estimate][run_estimate]")
{
    SweepConfig seed;
    apply_preset(*find_preset("seed"), seed);
    seed.variants = cpu_variants();
    const MachineFacts facts = made_up_machine();
    const RunEstimate full = engine::estimate_sweep(seed, facts);
    const RunEstimate quick = engine::estimate_sweep(quick_every_variant(), facts);
    CHECK(full.exports == 16 * 3 + 2);
    CHECK(full.seconds > 5 * quick.seconds);
    CHECK(full.seconds > 30 * 60); // past the GUI's confirmation (ui/run_estimate.h), as a sweep of hours should be
}

TEST_CASE("a busy machine stretches the estimate, not its low end", "[estimate][run_estimate]")
{
    const SweepConfig config = quick_every_variant();
    MachineFacts facts = made_up_machine();
    const RunEstimate quiet = engine::estimate_sweep(config, facts);
    CHECK(quiet.one_off_slowdown == 1);
    CHECK(quiet.iteration_slowdown == 1);
    CHECK(estimate_parts_text(quiet).find("busy") == std::string::npos);

    facts.pace = MachinePace { 2, 0.5 }; // two threads got half a CPU between them
    const RunEstimate busy = engine::estimate_sweep(config, facts);
    CHECK(busy.one_off_slowdown == Approx(2));
    CHECK(busy.iteration_slowdown == Approx(4));
    CHECK(busy.export_s == Approx(2 * quiet.export_s));
    CHECK(busy.compile_s == Approx(2 * quiet.compile_s));
    CHECK(busy.measuring_s > 2 * quiet.measuring_s);
    facts.costs.contended_operator_s = 0;
    CHECK(engine::estimate_sweep(config, facts).measuring_s < busy.measuring_s);
    CHECK(busy.low_s == Approx(quiet.low_s)); // it may be quiet again by the time it runs
    CHECK(busy.high_s > quiet.high_s);
    CHECK(estimate_parts_text(busy).find(
              "the machine is busy (2 threads would get 0.5 CPUs now): one-off work 2.0x, iterations 4.0x")
        != std::string::npos);
}

TEST_CASE("the machine's pace: the CPU time spinning threads get, as slowdowns", "[estimate][machine_pace]")
{
    CHECK(MachinePace { 2, 2 }.one_off_slowdown() == 1);
    CHECK(MachinePace { 2, 2 }.iteration_slowdown() == 1);
    CHECK(MachinePace { 2, 1.9 }.iteration_slowdown() == 1); // within the probe's own noise
    CHECK(MachinePace { 2, 1 }.one_off_slowdown() == 1); // one thread still gets a whole CPU
    CHECK(MachinePace { 2, 1 }.iteration_slowdown() == Approx(2));
    CHECK(MachinePace { 1, 0.25 }.one_off_slowdown() == Approx(4));
    CHECK(MachinePace { 1, 0.001 }.one_off_slowdown() == 10); // bounded
    CHECK(MachinePace { 4, 0.001 }.iteration_slowdown() == 10);
    CHECK(MachinePace { 2, 2 }.waiting_share() == 0);
    CHECK(MachinePace { 2, 1 }.waiting_share() == Approx(0.75)); // both threads run a quarter of the time
    CHECK(MachinePace { 1, 0.3 }.waiting_share() == 0); // one thread waits for nobody

    const MachinePace measured = measure_machine_pace(2, 0.02);
    CHECK(measured.threads == 2);
    CHECK(measured.cores > 0);
    CHECK(measured.cores <= 2);
}
