// The estimate before Run: every planned measurement's iterations under the adaptive stopping rules, its build and
// check, its compile, and the AOTInductor exports the cache lacks (docs/statistics.md, "The estimate before Run").
#include "sweep_estimate.h"

#include "compilescope/sweep_plan.h"
#include "compilescope/variant_names.h"
#include "cost_model.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace compilescope::engine {

namespace {

/// Operators of attention's forward without a mask: the graph the one-off costs were measured on.
constexpr double smallest_graph_operators = 5;

/// How much longer than the smallest graph a compiler takes on this (cell, phase): the square root of the operator
/// ratio, which fits torch.compile's measured times (docs/results/cpu-race.json, 2 CPU cores: attention forward
/// 1.7 to 2.7 s, the seed TransformerLM's forward 11.9 s and train step 19.9 s: ratios 6 and 10 for sqrt(46) and
/// sqrt(190)).
double compile_weight(const Cell& cell, Phase phase)
{
    return std::sqrt(std::max(1.0, estimated_operators(cell, phase) / smallest_graph_operators));
}

/// forward_backward's graphs are the forward's and the backward's, compiled moments before for the same cell (when
/// the sweep has those phases too): Inductor's cache (the sweep's own, the exporters' own) serves much of them.
bool shares_graphs(Phase phase, bool forward_and_backward_too)
{
    return phase == Phase::forward_backward && forward_and_backward_too;
}

/// An iteration's dispatch floor, relative to eager from C++: a replayed CUDA graph launches from the device
/// (docs/results/h200/quick-race.json: the seed model's train step 11.4 ms eager, 1.9 ms replayed), a compiled program
/// runs fewer, fused kernels, and Python eager pays the interpreter on every operator.
double dispatch_factor(const VariantTraits& traits)
{
    if (traits.cuda_graph)
        return 0.2;
    if (traits.aot_inductor)
        return 0.5;
    if (traits.python)
        return traits.compiles ? 1.0 : 2.0;
    return 1.0;
}

/// Seconds of one iteration of a variant's program at `efficiency` of the roofline, at least its dispatch floor.
double iteration_seconds(
    const Cell& cell, Phase phase, const VariantTraits& traits, const MachineFacts& facts, double efficiency)
{
    double roofline_s = 0;
    if (facts.peaks.valid()) {
        roofline_s = std::max(estimated_flops(cell, phase) / facts.peaks.flops_per_s,
            estimated_bytes(cell, phase) / facts.peaks.bytes_per_s);
    }
    const double operators = estimated_operators(cell, phase);
    const double floor_s = operators * facts.costs.operator_s * dispatch_factor(traits);
    if (cell.device != Device::cpu) // a GPU's kernels run apart from the CPU's other processes
        return std::max(roofline_s / efficiency, floor_s);
    // On a busy CPU every operator's threads share the cores, and each parallel operator waits for the ones the
    // scheduler took away (a compiled program runs fewer, fused ones).
    const double fused = traits.aot_inductor || (traits.python && traits.compiles) ? 0.5 : 1.0;
    const double waits = operators * fused * facts.costs.contended_operator_s * facts.pace.waiting_share();
    return std::max(roofline_s / efficiency, floor_s) * facts.pace.iteration_slowdown() + waits;
}

/// The three speeds the range is made of: typical, twice as fast (at most the roofline), half as fast.
struct Speeds {
    double typical = 0;
    double fast = 0;
    double slow = 0;
};

Speeds iteration_speeds(const Cell& cell, Phase phase, const VariantTraits& traits, const MachineFacts& facts)
{
    const double efficiency = facts.costs.roofline_efficiency;
    MachineFacts quiet = facts;
    quiet.pace = MachinePace {};
    return { iteration_seconds(cell, phase, traits, facts, efficiency),
        iteration_seconds(cell, phase, traits, quiet, std::min(1.0, 2 * efficiency)),
        iteration_seconds(cell, phase, traits, facts, efficiency / 2) };
}

/// One variant of a (cell, phase) as the estimate sees it.
struct PlannedVariant {
    VariantTraits traits;
    bool runs = false;
    Speeds seconds; ///< of one iteration
    IterationCounts fast; ///< at Speeds::fast
    IterationCounts typical;
    IterationCounts slow;
};

/// The three sums every part of the estimate adds to.
struct Range {
    double typical = 0;
    double low = 0;
    double high = 0;

    void add(double low_s, double typical_s, double high_s)
    {
        low += low_s;
        typical += typical_s;
        high += high_s;
    }
};

/// The C++ variants of a phase are timed in turns (MeasureConfig::interleave): every one takes the same number of
/// rounds, until each one's rule is met or one of them has spent its budget (the slowest reaches max_time first).
void share_rounds(std::vector<PlannedVariant>& variants, const MeasureConfig& measure)
{
    std::vector<PlannedVariant*> in_turns;
    for (PlannedVariant& variant : variants) {
        if (variant.runs && !variant.traits.python)
            in_turns.push_back(&variant);
    }
    if (!measure.interleave || in_turns.size() < 2)
        return;
    auto rounds = [&](auto counts_of, auto wanted) {
        double wanted_most = 0;
        double budget = 1e300;
        for (PlannedVariant* variant : in_turns) {
            const IterationCounts& counts = counts_of(*variant);
            wanted_most = std::max(wanted_most, wanted(counts));
            budget = std::min(budget, counts.most);
        }
        return std::min(wanted_most, budget);
    };
    const double fewest = rounds([](PlannedVariant& v) -> IterationCounts& { return v.fast; },
        [](const IterationCounts& counts) { return counts.fewest; });
    const double typical = rounds([](PlannedVariant& v) -> IterationCounts& { return v.typical; },
        [](const IterationCounts& counts) { return counts.typical; });
    const double most = rounds([](PlannedVariant& v) -> IterationCounts& { return v.slow; },
        [](const IterationCounts& counts) { return counts.most; });
    for (PlannedVariant* variant : in_turns) {
        variant->fast.fewest = fewest;
        variant->typical.typical = typical;
        variant->slow.most = most;
    }
}

} // namespace

IterationCounts timed_iterations(const MeasureConfig& measure, double iteration_s, double noise_cv)
{
    if (measure.fixed_iters > 0) {
        const double fixed = measure.fixed_iters;
        return { fixed, fixed, fixed };
    }
    const double t = std::max(iteration_s, 1e-9);
    const double min_iters = std::max(measure.min_iters, 2); // a standard error needs two samples
    // exhausted(): min_iters first, then max_iters or max_time, whichever comes first.
    const double most
        = std::max(double(measure.min_iters), std::min(double(measure.max_iters), std::ceil(measure.max_time_s / t)));
    const double fewest = std::min(most, std::max(min_iters, std::ceil(measure.min_time_s / t)));
    const double ratio = noise_cv / std::max(measure.target_rel_error, 1e-9);
    const double wanted = std::ceil(ratio * ratio);
    return { fewest, std::min(most, std::max(fewest, wanted)), most };
}

RunEstimate estimate_sweep(const SweepConfig& config, const MachineFacts& facts)
{
    const DeviceCosts& costs = facts.costs;
    const MeasureConfig& measure = config.measure;
    // A busy machine stretches the one-off work (one thread each) and the CPU's iterations (iteration_seconds).
    const double busy = facts.pace.one_off_slowdown();
    RunEstimate estimate;
    estimate.measurements = planned_measurements(config);
    estimate.memory_limit_bytes = facts.memory_limit_bytes;
    estimate.roofs_known = facts.peaks.valid();

    Range measuring;
    Range one_off;
    double export_sum = 0;
    bool python_started = false;
    bool compiled_before = false;
    int group = 0;
    for (const Cell& cell : plan_cells(config)) {
        const std::vector<Phase> phases = selected_phases(config, cell.workload);
        const bool backward_too = std::find(phases.begin(), phases.end(), Phase::backward) != phases.end()
            && std::find(phases.begin(), phases.end(), Phase::forward) != phases.end();
        for (Phase phase : phases) {
            const int64_t memory = estimated_memory_bytes(cell, phase, live_cpp_programs(config.variants));
            if (memory > estimate.largest_memory_bytes) {
                estimate.largest_memory_bytes = memory;
                estimate.largest_cell = cell.label() + " " + to_string(phase);
            }
            const bool fits = facts.memory_limit_bytes <= 0 || memory <= facts.memory_limit_bytes;
            if (!fits)
                ++estimate.cells_over_limit;

            std::vector<PlannedVariant> variants;
            bool exports = false;
            for (const std::string& name : config.variants) {
                PlannedVariant variant;
                variant.traits = variant_traits(name);
                variant.runs = fits && (!facts.runs || facts.runs(name));
                if (variant.runs) {
                    variant.seconds = iteration_speeds(cell, phase, variant.traits, facts);
                    variant.fast = timed_iterations(measure, variant.seconds.fast, costs.noise_cv);
                    variant.typical = timed_iterations(measure, variant.seconds.typical, costs.noise_cv);
                    variant.slow = timed_iterations(measure, variant.seconds.slow, costs.noise_cv);
                    exports = exports || variant.traits.aot_inductor;
                }
                variants.push_back(variant);
            }
            share_rounds(variants, measure);

            const double weight = compile_weight(cell, phase);
            if (exports) {
                if (facts.package_cached && facts.package_cached(cell, phase)) {
                    ++estimate.exports_cached;
                } else {
                    ++estimate.exports;
                    export_sum += (costs.aoti_export_s + costs.aoti_export_scaled_s * (weight - 1))
                        * (shares_graphs(phase, backward_too) ? costs.aoti_cached_share : 1.0);
                }
            }
            for (size_t i = 0; i < variants.size(); ++i) {
                const PlannedVariant& variant = variants[i];
                MeasurementEstimate planned { cell.key(), phase, config.variants[i], group, variant.traits.python, 0,
                    0 };
                if (variant.runs) {
                    // Besides the timed loop: the warm-ups, the first call, the call checked against eager, a C++
                    // program's settling iterations, the profiled pass.
                    const bool settles = !variant.traits.python && config.allocator == AllocatorPolicy::keep;
                    const double settle = settles ? costs.settle_iterations : 0;
                    const double untimed
                        = measure.warmup_iters + 2.0 + settle + (measure.profile ? measure.profile_iters : 0);
                    const Speeds& t = variant.seconds;
                    const double overhead = costs.measurement_overhead_s;
                    const double low = (untimed + variant.fast.fewest) * t.fast + overhead / 2;
                    planned.work_s = (untimed + variant.typical.typical) * t.typical + overhead * busy;
                    const double high = (untimed + variant.slow.most) * t.slow + 2 * overhead * busy;
                    measuring.add(low, planned.work_s, high);

                    const VariantTraits& traits = variant.traits;
                    if (traits.python && !python_started) {
                        planned.one_off_s += costs.python_start_s;
                        python_started = true;
                        estimate.starts_python = true;
                    }
                    if (traits.python && traits.compiles) {
                        if (!compiled_before)
                            planned.one_off_s += costs.first_compile_s;
                        compiled_before = true;
                        planned.one_off_s += costs.torch_compile_s * weight
                            * (shares_graphs(phase, backward_too) ? costs.torch_compile_cached_share : 1.0);
                        ++estimate.compiles;
                    } else if (traits.torchscript) {
                        planned.one_off_s += costs.torchscript_s * weight;
                        ++estimate.compiles;
                    }
                    one_off.add(planned.one_off_s / 2, planned.one_off_s * busy, 2 * planned.one_off_s * busy);
                    planned.one_off_s *= busy;
                }
                estimate.plan.push_back(planned);
            }
            ++group;
        }
    }

    const int jobs = std::max(1, std::min(facts.aoti_jobs, estimate.exports));
    const double quiet_export_s = export_sum / jobs;
    estimate.export_s = quiet_export_s * busy;
    estimate.export_each_s = estimate.exports > 0 ? estimate.export_s / estimate.exports : 0;
    estimate.measuring_s = measuring.typical;
    estimate.compile_s = one_off.typical;
    const bool anything = std::any_of(
        estimate.plan.begin(), estimate.plan.end(), [](const MeasurementEstimate& m) { return m.work_s > 0; });
    const double quiet_start_s = anything || estimate.exports > 0 ? costs.start_s : 0;
    estimate.start_s = quiet_start_s * busy;
    estimate.seconds = estimate.start_s + estimate.export_s + estimate.compile_s + estimate.measuring_s;
    estimate.low_s = quiet_start_s + quiet_export_s / 2 + one_off.low + measuring.low;
    estimate.high_s = estimate.start_s + 2 * estimate.export_s + one_off.high + measuring.high;
    estimate.busy_cores = facts.pace.cores;
    estimate.busy_threads = facts.pace.threads;
    estimate.one_off_slowdown = busy;
    estimate.iteration_slowdown = config.device == Device::cpu ? facts.pace.iteration_slowdown() : 1;
    return estimate;
}

} // namespace compilescope::engine
