// to_json for every value of the run JSON (compilescope/run_json.h). Keys are written in the order listed here,
// which docs/json-schema.md documents and existing run files keep: reading a file and writing it again gives the
// same bytes.
#include "compilescope/run_json.h"

namespace compilescope {

namespace {

using run_json::Json;

/// nullopt is written as null (compile_ms, first_call_ms, profile).
template <typename T> Json nullable(const std::optional<T>& value)
{
    return value ? Json(*value) : Json(nullptr);
}

} // namespace

void to_json(Json& json, Workload value)
{
    json = to_string(value);
}

void to_json(Json& json, Phase value)
{
    json = to_string(value);
}

void to_json(Json& json, Device value)
{
    json = to_string(value);
}

void to_json(Json& json, Dtype value)
{
    json = to_string(value);
}

void to_json(Json& json, AllocatorPolicy value)
{
    json = to_string(value);
}

void to_json(Json& json, SdpaBackend value)
{
    json = to_string(value);
}

void to_json(Json& json, PythonAdamW value)
{
    json = to_string(value);
}

void to_json(Json& json, MeasurementStatus value)
{
    json = to_string(value);
}

void to_json(Json& json, const AttentionConfig& attention)
{
    json = Json {
        { "d_models", attention.d_models },
        { "seq_lens", attention.seq_lens },
        { "batch", attention.batch },
        { "causal", attention.causal },
    };
}

void to_json(Json& json, const ModelConfig& model)
{
    json = Json {
        { "vocab_size", model.vocab_size },
        { "context_length", model.context_length },
        { "d_model", model.d_model },
        { "num_layers", model.num_layers },
        { "num_heads", model.num_heads },
        { "d_ff", model.d_ff },
        { "batch", model.batch },
        { "seq_len", model.seq_len },
        { "rope_theta", model.rope_theta },
    };
}

void to_json(Json& json, const MeasureConfig& measure)
{
    json = Json {
        { "warmup_iters", measure.warmup_iters },
        { "fixed_iters", measure.fixed_iters },
        { "min_time_s", measure.min_time_s },
        { "max_time_s", measure.max_time_s },
        { "min_iters", measure.min_iters },
        { "max_iters", measure.max_iters },
        { "target_rel_error", measure.target_rel_error },
        { "noise_cv_threshold", measure.noise_cv_threshold },
        { "flush_l2", measure.flush_l2 },
        { "profile", measure.profile },
        { "profile_iters", measure.profile_iters },
        { "interleave", measure.interleave },
    };
}

void to_json(Json& json, const SweepConfig& config)
{
    json = Json {
        { "workloads", config.workloads },
        { "attention", config.attention },
        { "model", config.model },
        { "variants", config.variants },
        { "phases", config.phases },
        { "device", config.device },
        { "dtype", config.dtype },
        { "threads", config.threads },
        { "allocator", config.allocator },
        { "sdpa_backend", config.sdpa_backend },
        { "speedup_baseline", config.speedup_baseline },
        { "python", config.python },
        { "python_adamw", config.python_adamw },
        { "aoti_cache", config.aoti_cache },
        { "aoti_jobs", config.aoti_jobs },
        { "trace_dir", config.trace_dir },
        { "seed", config.seed },
        { "measure", config.measure },
        { "memory_limit_bytes", config.memory_limit_bytes },
        { "preset", config.preset },
    };
}

void to_json(Json& json, const DevicePeaks& peaks)
{
    json = Json {
        { "flops_per_s", peaks.flops_per_s },
        { "bytes_per_s", peaks.bytes_per_s },
        { "source", peaks.source },
    };
}

void to_json(Json& json, const Environment& environment)
{
    json = Json {
        { "compilescope_version", environment.compilescope_version },
        { "git_revision", environment.git_revision },
        { "libtorch_version", environment.libtorch_version },
        { "cuda_available", environment.cuda_available },
        { "mps_available", environment.mps_available },
        { "cuda_version", environment.cuda_version },
        { "cudnn_version", environment.cudnn_version },
        { "gpu_name", environment.gpu_name },
        { "gpu_sm_count", environment.gpu_sm_count },
        { "gpu_driver", environment.gpu_driver },
        { "cpu_model", environment.cpu_model },
        { "cpu_cores", environment.cpu_cores },
        { "torch_threads", environment.torch_threads },
        { "blas", environment.blas },
        { "compiler", environment.compiler },
        { "build_type", environment.build_type },
        { "os", environment.os },
        { "hostname", environment.hostname },
        { "allocator", environment.allocator },
        { "torchscript_cpu_fusion", environment.torchscript_cpu_fusion },
        { "python", environment.python },
        { "python_torch_version", environment.python_torch_version },
        { "peaks", environment.peaks },
    };
}

void to_json(Json& json, const CellKey& cell)
{
    json = Json {
        { "workload", cell.workload },
        { "batch", cell.batch },
        { "d_model", cell.d_model },
        { "seq_len", cell.seq_len },
    };
}

void to_json(Json& json, const Stats& stats)
{
    json = Json {
        { "n", stats.n },
        { "mean_ms", stats.mean_ms },
        { "std_ms", stats.std_ms },
        { "median_ms", stats.median_ms },
        { "q1_ms", stats.q1_ms },
        { "q3_ms", stats.q3_ms },
        { "min_ms", stats.min_ms },
        { "max_ms", stats.max_ms },
        { "cv", stats.cv },
    };
}

void to_json(Json& json, const ProfiledKernel& kernel)
{
    json = Json {
        { "name", kernel.name },
        { "calls_per_iter", kernel.calls_per_iter },
        { "ms_per_iter", kernel.ms_per_iter },
        { "share", kernel.share },
    };
}

void to_json(Json& json, const ProfileSummary& profile)
{
    json = Json {
        { "iterations", profile.iterations },
        { "unit", profile.unit },
        { "launches_per_iter", profile.launches_per_iter },
        { "busy_ms_per_iter", profile.busy_ms_per_iter },
        { "busy_share", profile.busy_share },
        { "profiled_iter_ms", profile.profiled_iter_ms },
        { "pass_ms", profile.pass_ms },
        { "top", profile.top },
        { "trace_file", profile.trace_file },
    };
}

void to_json(Json& json, const CorrectnessCheck& check)
{
    json = Json {
        { "checked", check.checked },
        { "passed", check.passed },
        { "max_abs_error", check.max_abs_error },
        { "max_rel_error", check.max_rel_error },
        { "tolerance", check.tolerance },
        { "detail", check.detail },
    };
}

void to_json(Json& json, const Measurement& measurement)
{
    json = Json {
        { "cell", measurement.cell },
        { "phase", measurement.phase },
        { "variant", measurement.variant },
        { "status", measurement.status },
        { "message", measurement.message },
        { "notes", measurement.notes },
        { "compile_ms", nullable(measurement.compile_ms) },
        { "first_call_ms", nullable(measurement.first_call_ms) },
        { "warmup_iters", measurement.warmup_iters },
        { "stats", measurement.stats },
        { "samples_ms", measurement.samples_ms },
        { "peak_memory_bytes", measurement.peak_memory_bytes },
        { "memory_kind", measurement.memory_kind },
        { "estimated_memory_bytes", measurement.estimated_memory_bytes },
        { "flops", measurement.flops },
        { "bytes", measurement.bytes },
        { "profile", nullable(measurement.profile) },
        { "correctness", measurement.correctness },
    };
}

void to_json(Json& json, const RunResult& run)
{
    json = Json {
        { "schema", run_json::schema_name },
        { "schema_version", RunResult::schema_version },
        { "config", run.config },
        { "environment", run.environment },
        { "started_at", run.started_at },
        { "finished_at", run.finished_at },
        { "wall_time_s", run.wall_time_s },
        { "cancelled", run.cancelled },
        { "measurements", run.measurements },
    };
}

void to_json(Json& json, const SweepProgress& progress)
{
    json = Json {
        { "completed", progress.completed },
        { "total", progress.total },
        { "current", progress.current },
        { "elapsed_s", progress.elapsed_s },
        { "eta_s", progress.eta_s },
    };
}

} // namespace compilescope
