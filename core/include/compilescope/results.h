// What a sweep produces: one Measurement per (cell, phase, variant), plain values that cross threads and files.
#pragma once

#include "compilescope/config.h"
#include "compilescope/environment.h"
#include "compilescope/machine_load.h"
#include "compilescope/statistics.h"
#include "compilescope/types.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace compilescope {

/// A variant's outputs and gradients against eager on identical inputs.
struct CorrectnessCheck {
    bool checked = false;
    bool passed = false;
    double max_abs_error = 0;
    double max_rel_error = 0; ///< max |variant - eager| / max |eager|, over every compared tensor
    double tolerance = 0; ///< on max_rel_error, chosen by dtype
    std::string detail; ///< which tensor was worst, and why a check failed
};

/// A kernel (CUDA) or top-level operator (CPU) of a profiled pass.
struct ProfiledKernel {
    std::string name;
    double calls_per_iter = 0;
    double ms_per_iter = 0; ///< summed durations
    double share = 0; ///< of the summed durations of every kernel (operator) of the pass
};

/// What a profiled pass saw (MeasureConfig::profile): extra iterations under LibTorch's profiler (Kineto), run after
/// the timed ones so that the profiler's own cost never reaches a timed figure.
struct ProfileSummary {
    int iterations = 0;
    std::string unit; ///< "kernels" (CUDA) or "operators" (CPU: top-level ATen operators)
    double launches_per_iter = 0; ///< kernels (CUDA) or top-level operators (CPU) per iteration
    /// The union of the kernels' (operators') intervals in one iteration: time the device (CPU: ATen) was busy.
    double busy_ms_per_iter = 0;
    /// busy_ms_per_iter over the measured median, at most 1; 1 - busy_share is the host-overhead share.
    double busy_share = 0;
    double profiled_iter_ms = 0; ///< median of a profiled iteration: the timed median plus the profiler's overhead
    double pass_ms = 0; ///< the whole pass's wall time: profiler start, iterations, stop, trace written and read
    std::vector<ProfiledKernel> top; ///< by time, longest first
    std::string trace_file; ///< the pass's Chrome trace (SweepConfig::trace_dir); empty when not kept
};

/// A graph break torch.compile made: the first line of Dynamo's reason, and where in the user's code it broke
/// ("model.py:12 in forward": the file, the line and the function).
struct GraphBreak {
    std::string reason;
    std::string where;
};

/// What torch.compile did in one measurement (the torch-compile variants), from Dynamo's per-frame compilation
/// records: the graphs it compiled, its graph breaks, its recompiles with the guard that failed, whether dynamic
/// shapes came in, and the compile time by stage (their sum is about the compile, which compile_ms includes).
struct CompileExplanation {
    int graphs = 0;
    std::vector<GraphBreak> graph_breaks; ///< distinct (reason, where), at most 20
    std::vector<std::string> recompiles; ///< each recompile's failed guard, at most 20
    bool dynamic_shapes = false; ///< a frame was traced with symbolic sizes
    double dynamo_ms = 0; ///< tracing the bytecode into graphs
    double aot_autograd_ms = 0; ///< the joint graph, functionalization, the backward's graph
    double inductor_ms = 0; ///< lowering and scheduling
    double codegen_ms = 0; ///< generating and compiling the kernels' code
};

/// A cell's value on one axis of a model file.
struct AxisValue {
    std::string name;
    int64_t value = 0;

    bool operator==(const AxisValue& other) const { return name == other.name && value == other.value; }
};

/// The parameters that identify a cell. Attention: batch, d_model, seq_len. Model: the run's model config. Model
/// file: its point on the file's axes (batch, d_model and seq_len 0).
struct CellKey {
    Workload workload = Workload::attention;
    int64_t batch = 0;
    int64_t d_model = 0;
    int64_t seq_len = 0;
    std::vector<AxisValue> point; ///< model_file only, in the order of the file's axes

    CellKey() = default;
    /// A built-in workload's cell reads as before, { workload, batch, d_model, seq_len }, with no point.
    CellKey(Workload workload_, int64_t batch_, int64_t d_model_, int64_t seq_len_, std::vector<AxisValue> point_ = {})
        : workload(workload_)
        , batch(batch_)
        , d_model(d_model_)
        , seq_len(seq_len_)
        , point(std::move(point_))
    {
    }

    bool operator==(const CellKey& other) const;
    bool operator!=(const CellKey& other) const { return !(*this == other); }
};

struct Measurement {
    CellKey cell;
    Phase phase = Phase::forward;
    std::string variant;
    MeasurementStatus status = MeasurementStatus::ok;
    std::string message; ///< error, skip or unavailability reason; empty when ok
    std::vector<std::string> notes; ///< facts worth reporting, e.g. whether fusion groups formed

    /// One-time cost of building the variant (TorchScript compile, graph capture); nullopt if none.
    std::optional<double> compile_ms;
    /// The first call after building, which includes any lazy specialisation; never part of the stats.
    std::optional<double> first_call_ms;
    int warmup_iters = 0;
    Stats stats;
    std::vector<double> samples_ms;

    int64_t peak_memory_bytes = 0; ///< what the measurement allocated, peak over its start; 0: not measured
    std::string memory_kind; ///< what peak_memory_bytes counts, e.g. "CPU allocations, peak over start"
    int64_t estimated_memory_bytes = 0;
    double flops = 0; ///< floating-point operations of one iteration (0: not estimated)
    double bytes = 0; ///< the least memory traffic of one iteration, docs/roofline.md (0: not estimated)
    std::optional<ProfileSummary> profile; ///< the profiled pass, when the run asked for one and it ran
    std::optional<MachineLoad> load; ///< the machine while it was timed; nullopt when not read (older runs, Python)
    std::optional<CompileExplanation> compile_explained; ///< torch.compile's variants: what it did; else nullopt
    CorrectnessCheck correctness;

    bool ok() const { return status == MeasurementStatus::ok; }
};

struct RunResult {
    static constexpr int schema_version = 1;

    SweepConfig config;
    Environment environment;
    std::string started_at; ///< ISO 8601 local time with offset
    std::string finished_at;
    double wall_time_s = 0;
    bool cancelled = false;
    std::vector<Measurement> measurements;
};

/// True when a measurement is noisy under the run's threshold.
bool is_noisy(const Measurement& measurement, const MeasureConfig& measure);

/// True when a measurement was timed while the machine was busy (its load, MachineLoad::busy()): the one test of
/// "under load" that the table, the charts, the reports and the re-run ask.
bool taken_under_load(const Measurement& measurement);

/// Whether an interval from this measurement's samples may be shown (its latency bar; one side of a speedup):
/// interval_verdict() of its sample count and samples. Counts for a measurement that was not timed.
IntervalVerdict interval_verdict(const Measurement& measurement);

/// The note a measurement whose samples sit on a time-slice grid carries (Results, reports), as under_load_note()
/// for a busy machine: "timed on the scheduler's 4-ms time-slice grid: ...". nullopt when they do not.
std::optional<std::string> time_slice_grid_note(const std::vector<double>& samples_ms);

/// The variant the run's speedups are relative to (config.speedup_baseline: "eager" or "py-eager").
const std::string& speedup_baseline(const RunResult& run);

/// Whether two measurements are of the same cell, phase and variant (whatever their outcome).
bool same_measurement(const Measurement& a, const Measurement& b);

/// The first measurement of this cell, phase and variant in `run`, or nullptr. A scan: for a look-up per point of
/// a large run, index the run instead (ui/run_index.h).
const Measurement* find_measurement(const RunResult& run, const CellKey& cell, Phase phase, const std::string& variant);

/// The baseline measurement (speedup_baseline(run)) of the same cell and phase, or nullptr.
const Measurement* find_baseline(const RunResult& run, const Measurement& measurement);

/// Speedup of `measurement` over its baseline (baseline / measurement); nullopt if either is missing or not ok.
/// The baseline's own measurement gives exactly 1 (interval [1, 1]). Its intervals are withheld (NaN, with the
/// reason in Speedup::interval) unless both sides' interval_verdict() counts.
std::optional<Speedup> speedup_over_baseline(const RunResult& run, const Measurement& measurement);

/// The same, with the baseline found by `find_baseline_of` (an index, where a repaint asks for every point) instead
/// of a scan of the run; it is asked only when the measurement is neither failed nor the baseline itself.
std::optional<Speedup> speedup_over_baseline(const RunResult& run, const Measurement& measurement,
    const std::function<const Measurement*(const Measurement&)>& find_baseline_of);

/// What differs between the set-up that measured `run` and `now` (host, CPU, LibTorch; the GPU of a CUDA run), as
/// "host was 'a', now 'b'"; "" when nothing does. Timings from two set-ups do not belong in one run, so a resume or a
/// re-run refuses to add to it.
std::string setup_change(const RunResult& run, const Environment& now);

/// Whether the run holds a measurement of `variant`.
bool has_variant(const RunResult& run, const std::string& variant);

/// Names of the variants present in a run, eager first, in config order.
std::vector<std::string> variants_in(const RunResult& run);

} // namespace compilescope
