// Every object of the run JSON with its fields, each listed once, in the order they are written (which existing run
// files keep byte for byte, and docs/json-schema.md documents). to_json walks a list with a writer and from_json
// with a reader (run_json.cpp), so a field is added, renamed or removed here and nowhere else.
//   visit(key, field)                    a required field
//   visit.added_later(key, field)        added after version 1's first files were written: absent keeps the default
//   visit.added_later(key, field, old)   the same, but absent means `old` (what files without it did)
//   visit.when_set(key, field, set)      added later, and written only where `set` (a model file's parts, which
//                                        runs of the built-in workloads do not have): absent keeps the default
#pragma once

#include "compilescope/results.h"
#include "compilescope/settings.h"
#include "compilescope/sweep_events.h"
#include "compilescope/variant_info.h"

#include <type_traits>

namespace compilescope::run_json {

// Each takes its struct const (writing) or not (reading).

/// The configuration's objects are its settings' rows (settings.h), in the rows' order; a row added after version 1
/// is read with added_later.
template <typename Owner, typename Visit, typename T> void setting_fields(Visit& visit, T& owner)
{
    for_each_setting([&](const auto& setting) {
        if constexpr (std::is_same_v<typename std::decay_t<decltype(setting)>::owner_type, Owner>) {
            auto& value = owner.*setting.member;
            if (!setting.added_later)
                visit(setting.key, value);
            else if (setting.absent)
                visit.added_later(setting.key, value, *setting.absent);
            else
                visit.added_later(setting.key, value);
        }
    });
}

template <typename Visit, typename T> void attention_fields(Visit& visit, T& attention)
{
    setting_fields<AttentionConfig>(visit, attention);
}

template <typename Visit, typename T> void model_fields(Visit& visit, T& model)
{
    setting_fields<ModelConfig>(visit, model);
}

template <typename Visit, typename T> void measure_fields(Visit& visit, T& measure)
{
    setting_fields<MeasureConfig>(visit, measure);
}

template <typename Visit, typename T> void model_axis_fields(Visit& visit, T& axis)
{
    visit("name", axis.name);
    visit("values", axis.values);
}

template <typename Visit, typename T> void model_file_fields(Visit& visit, T& model_file)
{
    visit("path", model_file.path);
    visit("axes", model_file.axes);
}

template <typename Visit, typename T> void config_fields(Visit& visit, T& config)
{
    setting_fields<SweepConfig>(visit, config);
    visit.when_set("model_file", config.model_file, !config.model_file.path.empty());
}

template <typename Visit, typename T> void peaks_fields(Visit& visit, T& peaks)
{
    visit("flops_per_s", peaks.flops_per_s);
    visit("bytes_per_s", peaks.bytes_per_s);
    visit("source", peaks.source);
}

template <typename Visit, typename T> void environment_fields(Visit& visit, T& environment)
{
    visit("compilescope_version", environment.compilescope_version);
    visit("git_revision", environment.git_revision);
    visit("libtorch_version", environment.libtorch_version);
    visit("cuda_available", environment.cuda_available);
    visit("mps_available", environment.mps_available);
    visit("cuda_version", environment.cuda_version);
    visit("cudnn_version", environment.cudnn_version);
    visit("gpu_name", environment.gpu_name);
    visit("gpu_sm_count", environment.gpu_sm_count);
    visit("gpu_driver", environment.gpu_driver);
    visit("cpu_model", environment.cpu_model);
    visit("cpu_cores", environment.cpu_cores);
    visit("torch_threads", environment.torch_threads);
    visit("blas", environment.blas);
    visit("compiler", environment.compiler);
    visit("build_type", environment.build_type);
    visit("os", environment.os);
    visit("hostname", environment.hostname);
    visit("allocator", environment.allocator);
    visit("torchscript_cpu_fusion", environment.torchscript_cpu_fusion);
    visit.added_later("python", environment.python);
    visit.added_later("python_torch_version", environment.python_torch_version);
    visit.added_later("peaks", environment.peaks);
}

template <typename Visit, typename T> void cell_fields(Visit& visit, T& cell)
{
    visit("workload", cell.workload);
    visit("batch", cell.batch);
    visit("d_model", cell.d_model);
    visit("seq_len", cell.seq_len);
    visit.when_set("point", cell.point, !cell.point.empty());
}

template <typename Visit, typename T> void axis_value_fields(Visit& visit, T& axis)
{
    visit("name", axis.name);
    visit("value", axis.value);
}

template <typename Visit, typename T> void stats_fields(Visit& visit, T& stats)
{
    visit("n", stats.n);
    visit("mean_ms", stats.mean_ms);
    visit("std_ms", stats.std_ms);
    visit("median_ms", stats.median_ms);
    visit("q1_ms", stats.q1_ms);
    visit("q3_ms", stats.q3_ms);
    visit("min_ms", stats.min_ms);
    visit("max_ms", stats.max_ms);
    visit("cv", stats.cv);
}

template <typename Visit, typename T> void kernel_fields(Visit& visit, T& kernel)
{
    visit("name", kernel.name);
    visit("calls_per_iter", kernel.calls_per_iter);
    visit("ms_per_iter", kernel.ms_per_iter);
    visit("share", kernel.share);
}

template <typename Visit, typename T> void profile_fields(Visit& visit, T& profile)
{
    visit("iterations", profile.iterations);
    visit("unit", profile.unit);
    visit("launches_per_iter", profile.launches_per_iter);
    visit("busy_ms_per_iter", profile.busy_ms_per_iter);
    visit("busy_share", profile.busy_share);
    visit("profiled_iter_ms", profile.profiled_iter_ms);
    visit("pass_ms", profile.pass_ms);
    visit("top", profile.top);
    visit("trace_file", profile.trace_file);
}

template <typename Visit, typename T> void load_fields(Visit& visit, T& load)
{
    visit("others_cpu_share", load.others_cpu_share);
    visit("steal_share", load.steal_share);
    visit("involuntary_switches_per_s", load.involuntary_switches_per_s);
    visit("cpus", load.cpus);
    visit("window_s", load.window_s);
    visit.added_later("gpu_other_processes", load.gpu_other_processes);
}

template <typename Visit, typename T> void correctness_fields(Visit& visit, T& check)
{
    visit("checked", check.checked);
    visit("passed", check.passed);
    visit("max_abs_error", check.max_abs_error);
    visit("max_rel_error", check.max_rel_error);
    visit("tolerance", check.tolerance);
    visit("detail", check.detail);
}

/// compile_ms, first_call_ms and profile are std::optional: written as null when empty.
template <typename Visit, typename T> void measurement_fields(Visit& visit, T& measurement)
{
    visit("cell", measurement.cell);
    visit("phase", measurement.phase);
    visit("variant", measurement.variant);
    visit("status", measurement.status);
    visit("message", measurement.message);
    visit("notes", measurement.notes);
    visit("compile_ms", measurement.compile_ms);
    visit("first_call_ms", measurement.first_call_ms);
    visit("warmup_iters", measurement.warmup_iters);
    visit("stats", measurement.stats);
    visit("samples_ms", measurement.samples_ms);
    visit("peak_memory_bytes", measurement.peak_memory_bytes);
    visit("memory_kind", measurement.memory_kind);
    visit("estimated_memory_bytes", measurement.estimated_memory_bytes);
    visit("flops", measurement.flops);
    visit.added_later("bytes", measurement.bytes);
    visit.added_later("profile", measurement.profile);
    visit.added_later("load", measurement.load);
    visit("correctness", measurement.correctness);
    visit.when_set("compile_explained", measurement.compile_explained, measurement.compile_explained.has_value());
}

template <typename Visit, typename T> void graph_break_fields(Visit& visit, T& graph_break)
{
    visit("reason", graph_break.reason);
    visit("where", graph_break.where);
}

template <typename Visit, typename T> void compile_explanation_fields(Visit& visit, T& explained)
{
    visit("graphs", explained.graphs);
    visit("graph_breaks", explained.graph_breaks);
    visit("recompiles", explained.recompiles);
    visit("dynamic_shapes", explained.dynamic_shapes);
    visit("dynamo_ms", explained.dynamo_ms);
    visit("aot_autograd_ms", explained.aot_autograd_ms);
    visit("inductor_ms", explained.inductor_ms);
    visit("codegen_ms", explained.codegen_ms);
}

/// After the envelope ("schema", "schema_version"), which to_json/from_json of RunResult write and check.
template <typename Visit, typename T> void run_fields(Visit& visit, T& run)
{
    visit("config", run.config);
    visit("environment", run.environment);
    visit("started_at", run.started_at);
    visit("finished_at", run.finished_at);
    visit("wall_time_s", run.wall_time_s);
    visit("cancelled", run.cancelled);
    visit("measurements", run.measurements);
}

/// A worker's progress event (the fields sit in the event object, beside "event").
template <typename Visit, typename T> void progress_fields(Visit& visit, T& progress)
{
    visit("completed", progress.completed);
    visit("total", progress.total);
    visit("current", progress.current);
    visit("elapsed_s", progress.elapsed_s);
    visit("eta_s", progress.eta_s);
    visit("running", progress.running);
    visit("running_cell", progress.running_cell);
    visit("running_phase", progress.running_phase);
}

/// Written only, by `compilescope-cli list --json`.
template <typename Visit> void variant_fields(Visit& visit, const VariantInfo& variant)
{
    visit("name", variant.name);
    visit("description", variant.description);
    visit("available", variant.available);
    visit("reason", variant.reason);
    visit("python", variant.traits.python);
}

template <typename Visit> void sdpa_support_fields(Visit& visit, const SdpaBackendSupport& support)
{
    visit("name", support.backend);
    visit("available", support.available);
    visit("kernel", support.kernel);
    visit("reason", support.reason);
}

} // namespace compilescope::run_json
