#include "sample_run.h"

#include <cmath>
#include <iterator>

namespace compilescope::testing {

namespace {

// Relative deviations applied to a measurement's typical time to make its samples; the noisy pattern has a CV
// far above the 5% threshold. Twelve samples: an interval needs min_samples_for_interval (10) on each side.
const std::vector<double> quiet_jitter { -0.02, 0.01, 0.0, 0.03, -0.01, 0.015, -0.005, 0.0, 0.02, -0.015, 0.005,
    -0.01 };
const std::vector<double> noisy_jitter { -0.2, 0.1, 0.0, 0.3, -0.1, 0.15, -0.05, 0.0, 0.2, -0.15, 0.05, -0.1 };
// Four samples: what a short measurement of a slow cell leaves, too few for an interval.
const std::vector<double> short_jitter { -0.01, 0.02, 0.0, -0.005 };

Measurement timed(const CellKey& cell, Phase phase, const std::string& variant, double typical_ms,
    const std::vector<double>& jitter = quiet_jitter)
{
    Measurement measurement;
    measurement.cell = cell;
    measurement.phase = phase;
    measurement.variant = variant;
    measurement.warmup_iters = 3;
    for (double deviation : jitter)
        measurement.samples_ms.push_back(typical_ms * (1.0 + deviation));
    measurement.stats = summarize(measurement.samples_ms);
    measurement.memory_kind = "process peak RSS";
    measurement.peak_memory_bytes = 64 * 1024 * 1024 + cell.batch * cell.seq_len * cell.seq_len * 4;
    measurement.estimated_memory_bytes = cell.batch * cell.seq_len * cell.seq_len * 4 * 3;
    measurement.flops = 4.0 * cell.batch * cell.seq_len * cell.seq_len * cell.d_model;
    measurement.bytes = 16.0 * cell.batch * cell.seq_len * cell.d_model * (phase == Phase::forward ? 1 : 2);
    if (variant != "eager") {
        measurement.compile_ms = 100.0 + static_cast<double>(cell.d_model);
        measurement.first_call_ms = typical_ms * 3.0;
        measurement.notes = { "no fusion groups formed: this LibTorch has no LLVM, so TorchScript cannot fuse on CPU" };
        measurement.correctness = { true, true, 1.5e-6, 2.5e-7, 1e-5, "worst: output" };
    }
    return measurement;
}

double phase_factor(Phase phase)
{
    switch (phase) {
    case Phase::forward:
        return 1.0;
    case Phase::backward:
        return 2.1;
    case Phase::forward_backward:
        return 3.0;
    case Phase::train_step:
        return 3.0;
    }
    return 1.0;
}

} // namespace

RunResult sample_run()
{
    RunResult run;
    SweepConfig& config = run.config;
    config.attention.d_models = { 16, 64 };
    config.attention.seq_lens = { 256, 1024 };
    config.threads = 2;
    config.seed = 42;
    config.preset = "seed";

    Environment& environment = run.environment;
    environment.compilescope_version = "0.1.0";
    environment.git_revision = "0123456789ab";
    environment.libtorch_version = "1.13.1";
    environment.cpu_model = "Test CPU @ 2.00GHz";
    environment.cpu_cores = 2;
    environment.torch_threads = 1;
    environment.blas = "OpenBLAS (libblas.so.3 -> libopenblas.so.0)";
    environment.compiler = "GCC 12.2.0";
    environment.build_type = "Release";
    environment.os = "Debian GNU/Linux 12 (bookworm)";
    environment.hostname = "testhost";
    environment.allocator = "keep (mallopt: M_MMAP_THRESHOLD=2147483647, M_TRIM_THRESHOLD=4294967295)";
    environment.peaks = { 1e11, 2e10, "measured: test probe" };

    run.started_at = "2026-11-05T14:03:22+01:00";
    run.finished_at = "2026-11-05T14:04:10+01:00";
    run.wall_time_s = 48.25;

    for (int64_t d_model : config.attention.d_models) {
        for (int64_t seq_len : config.attention.seq_lens) {
            const CellKey cell { Workload::attention, 8, d_model, seq_len };
            const double base = 0.5 + static_cast<double>(d_model * seq_len * seq_len) * 1e-6;
            // TorchScript loses 3% at d_model 16 and wins 5% at 64, so both directions appear in the analysis.
            const double compiled_factor = d_model == 16 ? 1.0 / 0.97 : 1.0 / 1.05;
            for (Phase phase : phases_of(Workload::attention)) {
                const double eager_ms = base * phase_factor(phase);
                const bool noisy = d_model == 16 && seq_len == 256 && phase == Phase::forward;
                run.measurements.push_back(timed(cell, phase, "eager", eager_ms, noisy ? noisy_jitter : quiet_jitter));
                run.measurements.push_back(timed(cell, phase, "torchscript", eager_ms * compiled_factor));
            }
        }
    }
    // A profiled pass for one cell's forward: TorchScript runs fewer, longer operators.
    config.measure.profile = true;
    for (Measurement& measurement : run.measurements) {
        if (measurement.cell.d_model != 64 || measurement.cell.seq_len != 1024 || measurement.phase != Phase::forward)
            continue;
        const bool eager = measurement.variant == "eager";
        ProfileSummary profile;
        profile.iterations = 5;
        profile.unit = "operators";
        profile.launches_per_iter = eager ? 6 : 4;
        profile.busy_ms_per_iter = measurement.stats.median_ms * (eager ? 0.8 : 0.9);
        profile.busy_share = eager ? 0.8 : 0.9;
        profile.profiled_iter_ms = measurement.stats.median_ms * 1.1;
        profile.pass_ms = 5 * measurement.stats.median_ms * 1.2;
        profile.top = { { "aten::bmm", 2, profile.busy_ms_per_iter * 0.7, 0.7 },
            { "aten::softmax", 1, profile.busy_ms_per_iter * 0.2, 0.2 } };
        measurement.profile = profile;
    }
    const CellKey model { Workload::transformer_lm, 6, 192, 192 };
    run.measurements.push_back(timed(model, Phase::forward, "eager", 6.83, short_jitter));
    run.measurements.push_back(timed(model, Phase::forward, "torchscript", 6.95, short_jitter));
    run.measurements.push_back(timed(model, Phase::train_step, "eager", 20.29));
    run.measurements.push_back(timed(model, Phase::train_step, "torchscript", 20.02));
    return run;
}

RunResult sample_run_with_problems()
{
    RunResult run = sample_run();
    run.config.variants = { "eager", "torchscript", "fused-sdpa" };
    for (Measurement& measurement : run.measurements) {
        const CellKey& cell = measurement.cell;
        if (measurement.variant == "torchscript" && cell.d_model == 64 && cell.seq_len == 1024
            && measurement.phase == Phase::backward) {
            measurement.status = MeasurementStatus::failed;
            measurement.message = "out of memory: tried to allocate 512.00 MiB, \"free\" 100 MiB";
            measurement.stats = Stats {};
            measurement.samples_ms.clear();
            measurement.correctness = CorrectnessCheck {};
        }
        if (measurement.variant == "torchscript" && cell.d_model == 16 && cell.seq_len == 1024
            && measurement.phase == Phase::forward_backward) {
            measurement.status = MeasurementStatus::failed;
            measurement.message = "correctness check failed";
            measurement.correctness = { true, false, 0.25, 0.125, 1e-5, "grad_q differs from eager" };
        }
    }
    std::vector<Measurement> unavailable;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.variant != "eager")
            continue;
        Measurement missing;
        missing.cell = measurement.cell;
        missing.phase = measurement.phase;
        missing.variant = "fused-sdpa";
        missing.status = MeasurementStatus::unavailable;
        missing.message = "needs at::scaled_dot_product_attention (LibTorch >= 2.0); this is 1.13.1";
        unavailable.push_back(missing);
    }
    run.measurements.insert(run.measurements.end(), unavailable.begin(), unavailable.end());

    // One measurement timed while the process waited for the CPU: its samples sit on the 4-ms time-slice grid
    // (0.5 ms of work, 10 to 12 ticks), as a busy 2-core machine gave them (docs/statistics.md).
    for (Measurement& measurement : run.measurements) {
        if (measurement.cell == CellKey { Workload::attention, 8, 16, 256 } && measurement.phase == Phase::backward
            && measurement.variant == "torchscript") {
            const int ticks[] { 10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 11, 10 };
            measurement.samples_ms.clear();
            for (size_t i = 0; i < std::size(ticks); ++i)
                measurement.samples_ms.push_back(0.5 + 4.0 * ticks[i] + 0.01 * static_cast<double>(i % 3));
            measurement.stats = summarize(measurement.samples_ms);
            measurement.notes.push_back(*time_slice_grid_note(measurement.samples_ms));
        }
    }

    // The eager forward of one cell is skipped, so the compiled value there has no baseline.
    for (Measurement& measurement : run.measurements) {
        if (measurement.cell == CellKey { Workload::attention, 8, 64, 1024 } && measurement.phase == Phase::forward
            && measurement.variant == "eager") {
            measurement.status = MeasurementStatus::skipped;
            measurement.message = "memory estimate 9.0 GiB exceeds the limit of 8.0 GiB";
            measurement.stats = Stats {};
            measurement.samples_ms.clear();
            measurement.peak_memory_bytes = 0;
            measurement.estimated_memory_bytes = int64_t(9) * 1024 * 1024 * 1024;
        }
    }
    return run;
}

} // namespace compilescope::testing
