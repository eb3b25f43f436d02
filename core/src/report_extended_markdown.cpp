// The extended sections of the full report (full_markdown), after the seed layout: environment, run, medians and
// IQR, the profiled pass and the roofline, memory, correctness, problems, notes.
#include "compilescope/reports.h"

#include "compilescope/rerun.h"
#include "compilescope/roofline.h"
#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"
#include "markdown_table.h"
#include "report_seed_markdown.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace compilescope {

namespace {

// ---- Extended sections -------------------------------------------------------------------------------------------

std::string or_dash(const std::string& text)
{
    return text.empty() ? no_value : text;
}
std::string yes_no(bool value)
{
    return value ? "yes" : "no";
}

/// A table whose rows start with the columns that say which measurement a row is about (workload, the cell's
/// columns, phase, variant); `extra` names the columns after them.
MarkdownTable keyed_table(const RunResult& run, const std::vector<std::string>& extra)
{
    std::vector<std::string> headers { "Workload" };
    for (const std::string& name : cell_column_names(run.config))
        headers.push_back(name);
    headers.emplace_back("Phase");
    headers.emplace_back("Variant");
    headers.insert(headers.end(), extra.begin(), extra.end());
    return MarkdownTable(headers);
}

void add_keyed_row(
    MarkdownTable& table, const RunResult& run, const Measurement& measurement, const std::vector<std::string>& extra)
{
    std::vector<std::string> row { to_string(measurement.cell.workload) };
    for (const std::string& value : cell_column_values(run.config, measurement.cell))
        row.push_back(value);
    row.push_back(display_name(measurement.phase));
    row.push_back(variant_label(measurement.variant));
    row.insert(row.end(), extra.begin(), extra.end());
    table.add_row(std::move(row));
}

std::string section(
    const std::string& title, const std::string& intro, const MarkdownTable& table, const std::string& when_empty)
{
    std::string text = "## " + title + "\n\n";
    if (table.empty())
        return text + when_empty + "\n\n";
    if (!intro.empty())
        text += intro + "\n\n";
    return text + table.render() + "\n";
}

std::string environment_section(const RunResult& run)
{
    const Environment& environment = run.environment;
    MarkdownTable table({ "Field", "Value" });
    table.add_row({ "CompileScope version", or_dash(environment.compilescope_version) });
    table.add_row({ "Git revision", or_dash(environment.git_revision) });
    table.add_row({ "LibTorch version", or_dash(environment.libtorch_version) });
    table.add_row({ "CUDA available", yes_no(environment.cuda_available) });
    table.add_row({ "MPS available", yes_no(environment.mps_available) });
    table.add_row({ "CUDA version", or_dash(environment.cuda_version) });
    table.add_row({ "cuDNN version", or_dash(environment.cudnn_version) });
    table.add_row({ "GPU", or_dash(environment.gpu_name) });
    table.add_row({ "GPU SMs", environment.gpu_sm_count > 0 ? std::to_string(environment.gpu_sm_count) : no_value });
    table.add_row({ "GPU driver", or_dash(environment.gpu_driver) });
    table.add_row({ "CPU", or_dash(environment.cpu_model) });
    table.add_row({ "Logical CPUs", environment.cpu_cores > 0 ? std::to_string(environment.cpu_cores) : no_value });
    table.add_row({ "LibTorch threads at start", std::to_string(environment.torch_threads) });
    table.add_row({ "BLAS", or_dash(environment.blas) });
    table.add_row({ "Compiler", or_dash(environment.compiler) });
    table.add_row({ "Build type", or_dash(environment.build_type) });
    table.add_row({ "OS", or_dash(environment.os) });
    table.add_row({ "Hostname", or_dash(environment.hostname) });
    table.add_row({ "Allocator", or_dash(environment.allocator) });
    table.add_row({ "TorchScript CPU fusion", yes_no(environment.torchscript_cpu_fusion) });
    table.add_row({ "Python", or_dash(environment.python) });
    table.add_row({ "Python's torch",
        environment.python_torch_version.empty() ? "not read (no Python variant ran)"
                                                 : environment.python_torch_version });
    return section("Environment", "", table, "");
}

std::string run_section(const RunResult& run)
{
    const SweepConfig& config = run.config;
    auto names = [](const auto& values) {
        std::vector<std::string> items;
        for (const auto& value : values)
            items.push_back(to_string(value));
        return join(items, ", ");
    };
    std::map<MeasurementStatus, int> counts;
    for (const Measurement& measurement : run.measurements)
        ++counts[measurement.status];
    std::vector<std::string> count_items;
    for (const auto& [status, count] : counts)
        count_items.push_back(std::to_string(count) + " " + to_string(status));
    // What a busy machine did to the run, and what a re-run measured again (compilescope/rerun.h).
    const auto under_load = std::count_if(run.measurements.begin(), run.measurements.end(), taken_under_load);
    const auto rerun = std::count_if(run.measurements.begin(), run.measurements.end(), was_rerun);
    std::vector<std::string> marks;
    if (under_load > 0)
        marks.push_back(std::to_string(under_load) + " taken under load");
    if (rerun > 0)
        marks.push_back(std::to_string(rerun) + " re-run");
    if (!marks.empty() && !count_items.empty())
        count_items.back() += "; " + join(marks, ", ");

    MarkdownTable table({ "Setting", "Value" });
    table.add_row({ "Preset", or_dash(config.preset) });
    table.add_row({ "Workloads", names(config.workloads) });
    table.add_row({ "Variants", join(config.variants, ", ") });
    table.add_row({ "Phases", config.phases.empty() ? "all" : names(config.phases) });
    table.add_row({ "Device", to_string(config.device) });
    table.add_row({ "Dtype", to_string(config.dtype) });
    table.add_row({ "Threads", threads_text(run) });
    table.add_row({ "Allocator", to_string(config.allocator) });
    table.add_row({ "SDPA backend", to_string(config.sdpa_backend) });
    table.add_row({ "Speedup baseline", config.speedup_baseline });
    if (std::any_of(config.variants.begin(), config.variants.end(), is_python_variant))
        table.add_row({ "Python variants",
            "measured in a child process (" + or_dash(run.environment.python)
                + ") on the same tensors, with the same "
                  "timing policy; train step AdamW: "
                + to_string(config.python_adamw) });
    table.add_row({ "Seed", std::to_string(config.seed) });
    if (std::find(config.workloads.begin(), config.workloads.end(), Workload::attention) != config.workloads.end())
        table.add_row({ "Attention grid",
            "d_model " + int_list(config.attention.d_models) + " × seq_len " + int_list(config.attention.seq_lens)
                + "; batch " + std::to_string(config.attention.batch) + "; causal "
                + (config.attention.causal ? "on" : "off") });
    if (std::find(config.workloads.begin(), config.workloads.end(), Workload::transformer_lm)
        != config.workloads.end()) {
        const ModelConfig& model = config.model;
        std::ostringstream text;
        text << "vocab_size " << model.vocab_size << ", context_length " << model.context_length << ", d_model "
             << model.d_model << ", num_layers " << model.num_layers << ", num_heads " << model.num_heads << ", d_ff "
             << model.d_ff << ", batch " << model.batch << ", seq_len " << model.seq_len << ", rope_theta "
             << model.rope_theta;
        table.add_row({ "Model", text.str() });
    }
    if (!config.model_file.path.empty()) {
        std::string axes;
        for (const ModelAxis& axis : config.model_file.axes)
            axes += (axes.empty() ? "" : " × ") + axis.name + " " + int_list(axis.values);
        table.add_row(
            { "Model file", config.model_file.path + " (built by the file in Python, weights from the seed)" });
        table.add_row({ "Model file axes", axes });
    }
    table.add_row({ "Iteration policy", iteration_policy(config.measure) });
    table.add_row({ "Timing", timing_method(config) });
    table.add_row({ "Noise threshold (CV)", percent(config.measure.noise_cv_threshold) });
    table.add_row({ "Memory limit",
        config.memory_limit_bytes > 0 ? mebibytes(config.memory_limit_bytes) + " MiB" : "what the device reports" });
    table.add_row({ "Started", or_dash(run.started_at) });
    table.add_row({ "Finished", or_dash(run.finished_at) });
    table.add_row({ "Wall time", fixed(run.wall_time_s, 1) + " s" });
    table.add_row({ "Cancelled", yes_no(run.cancelled) });
    table.add_row({ "Measurements", count_items.empty() ? "none" : join(count_items, ", ") });
    return section("Run", "", table, "");
}

std::string forward_backward_section(const RunResult& run)
{
    const bool present = std::any_of(run.measurements.begin(), run.measurements.end(), [](const Measurement& m) {
        return m.cell.workload == Workload::attention && m.phase == Phase::forward_backward;
    });
    if (!present)
        return {};
    return "## Attention Forward+Backward Results\n\n"
           "The forward and the backward pass timed as one region:\n\n"
        + attention_tables(run, { Phase::forward_backward });
}

std::string latency_section(const RunResult& run)
{
    MarkdownTable table = keyed_table(run, { "Compile (ms)", "First call (ms)", "Steady-state mean (ms)" });
    for (const Measurement& measurement : run.measurements) {
        if (!measurement.compile_ms && !measurement.first_call_ms)
            continue;
        add_keyed_row(table, run, measurement,
            { measurement.compile_ms ? fixed(*measurement.compile_ms, 2) : no_value,
                measurement.first_call_ms ? fixed(*measurement.first_call_ms, 2) : no_value,
                measurement.ok() && measurement.stats.n > 0 ? fixed(measurement.stats.mean_ms, 3) : no_value });
    }
    return section("Compile and First-Call Latency",
        "One-time costs, measured separately from the steady-state timings:", table,
        "No measurement recorded a compile or first-call latency.");
}

std::string statistics_section(const RunResult& run)
{
    MarkdownTable table = keyed_table(run,
        { "Median (ms)", "IQR (ms)", "Min (ms)", "n", "CV", "Speedup (median)", "95% CI (median)", "Speedup (mean)",
            "95% CI (mean)" });
    for (const Measurement& measurement : run.measurements) {
        if (measurement.stats.n == 0)
            continue;
        const Stats& stats = measurement.stats;
        const auto ratio = speedup_over_baseline(run, measurement);
        const std::string cv = percent(stats.cv) + (is_noisy(measurement, run.config.measure) ? " (noisy)" : "");
        std::vector<std::string> ratios(4, no_value);
        if (measurement.variant == speedup_baseline(run)) {
            ratios.assign(4, "baseline");
        } else if (ratio) {
            ratios = { speedup_text(ratio->median), median_interval_text(*ratio), speedup_text(ratio->mean),
                mean_interval_text(*ratio) };
        }
        add_keyed_row(table, run, measurement,
            { fixed(stats.median_ms, 3), fixed(stats.iqr_ms(), 3), fixed(stats.min_ms, 3), std::to_string(stats.n), cv,
                ratios[0], ratios[1], ratios[2], ratios[3] });
    }
    return section("Timing Statistics",
        "Speedup = " + speedup_baseline(run)
            + " / variant. The median ratio is the headline figure (timings are skewed; a median hardly moves); "
              "its interval is a percentile bootstrap of the ratio of medians (2000 resamples of each side). The "
              "mean ratio, which the seed table uses, has a delta-method interval on the log ratio with Student's "
              "t and Welch-Satterthwaite degrees of freedom. Noisy: CV above "
            + percent(run.config.measure.noise_cv_threshold) + ". No interval is given from fewer than "
            + std::to_string(min_samples_for_interval)
            + " samples on a side (\"too few samples\"), nor from samples on the scheduler's time-slice grid "
              "(\"time-slice grid\"): the process waited for the CPU.",
        table, "No measurement was timed.");
}

/// Kernel names are C++ templates; the table shows their start (the trace and the JSON keep more).
constexpr size_t max_kernel_name_in_table = 48;

/// Why each measurement takes the time it does: the profiled pass (kernels, busy share, top kernel) and the
/// measurement on the roofline (docs/roofline.md).
std::string explained_section(const RunResult& run)
{
    const bool cuda = run.config.device == Device::cuda;
    MarkdownTable table = keyed_table(run,
        { "Median (ms)", cuda ? "Kernels/iter" : "Ops/iter", cuda ? "GPU busy" : "In ops",
            cuda ? "Top kernel (share)" : "Top operator (share)", "Achieved", "FLOP/B", "% of roof", "Bound" });
    double pass_ms = 0;
    double overhead_sum = 0;
    int profiled = 0;
    for (const Measurement& measurement : run.measurements) {
        const auto point = roofline_point(run, measurement);
        const auto& profile = measurement.profile;
        if (!measurement.ok() || (!point && !profile))
            continue;
        std::vector<std::string> cells { fixed(measurement.stats.median_ms, 3), no_value, no_value, no_value };
        if (profile) {
            cells[1] = fixed(profile->launches_per_iter, 0);
            cells[2] = percent(profile->busy_share);
            if (!profile->top.empty())
                cells[3] = "`" + shortened(profile->top.front().name, max_kernel_name_in_table) + "` ("
                    + percent(profile->top.front().share) + ")";
            pass_ms += profile->pass_ms;
            overhead_sum += profile->profiled_iter_ms / measurement.stats.median_ms - 1.0;
            ++profiled;
        }
        if (point) {
            cells.insert(cells.end(),
                { rate(point->achieved_flops_per_s, "FLOP/s"), fixed(point->intensity, 1),
                    percent(point->fraction_of_roof), to_string(point->bound) });
        } else {
            cells.insert(cells.end(), { no_value, no_value, no_value, no_value });
        }
        add_keyed_row(table, run, measurement, cells);
    }
    const DevicePeaks& peaks = run.environment.peaks;
    std::string intro;
    if (peaks.valid()) {
        intro = "Roofs: " + rate(peaks.flops_per_s, "FLOP/s") + " and " + rate(peaks.bytes_per_s, "B/s") + " ("
            + peaks.source + "); ridge at " + fixed(peaks.ridge_intensity(), 1)
            + " FLOP/B. FLOP/B: the FLOP estimate over the least traffic of one iteration (docs/roofline.md). "
              "Bound: memory-bound below the ridge, compute-bound above";
        intro += cuda ? ", launch-bound when the GPU is busy for less than " + percent(launch_bound_busy_share)
                + " of the median (profiled pass)."
                      : "; the CPU profiler does not see inside compiled code, so no launch-bound label there, and a "
                        "measurement below "
                + percent(far_below_roof)
                + " of its roof is \"not known\": something other than the roof holds it back.";
    } else {
        intro = "No device peaks were recorded, so no roofline.";
    }
    if (profiled > 0) {
        intro += " Profiled pass: " + std::to_string(run.config.measure.profile_iters)
            + " iterations per measurement after the timed ones (never inside them); "
            + (cuda ? "GPU busy: the union of kernel intervals" : "In ops: the union of top-level ATen operators")
            + " over the timed median. It cost " + fixed(pass_ms / 1e3, 1) + " s in all; a profiled iteration took "
            + percent(overhead_sum / profiled) + " longer than a timed one on average.";
    }
    return section("Explained", intro, table,
        "No measurement could be explained: none had a FLOP estimate with device peaks, and no profiled pass ran.");
}

std::string memory_section(const RunResult& run)
{
    MarkdownTable table = keyed_table(run, { "Peak (MiB)", "Measured as", "Estimate (MiB)" });
    for (const Measurement& measurement : run.measurements) {
        if (measurement.peak_memory_bytes <= 0 && measurement.estimated_memory_bytes <= 0)
            continue;
        add_keyed_row(table, run, measurement,
            { measurement.peak_memory_bytes > 0 ? mebibytes(measurement.peak_memory_bytes) : no_value,
                or_dash(measurement.memory_kind),
                measurement.estimated_memory_bytes > 0 ? mebibytes(measurement.estimated_memory_bytes) : no_value });
    }
    return section("Memory",
        "What each measurement allocated from its build through its warm-up, as the peak over the memory held at its "
        "start (its inputs, other variants' programs and memory kept from earlier cells do not count); \"Measured "
        "as\" names the counter. Older runs recorded the process's peak RSS instead.",
        table, "No memory was measured or estimated.");
}

std::string correctness_section(const RunResult& run)
{
    MarkdownTable table = keyed_table(run, { "Max abs error", "Max rel error", "Tolerance (rel)", "Result", "Detail" });
    for (const Measurement& measurement : run.measurements) {
        const CorrectnessCheck& check = measurement.correctness;
        if (!check.checked)
            continue;
        add_keyed_row(table, run, measurement,
            { scientific(check.max_abs_error), scientific(check.max_rel_error), scientific(check.tolerance),
                check.passed ? "pass" : "FAIL", or_dash(check.detail) });
    }
    return section("Correctness Checks",
        "Each variant against eager on identical inputs (outputs and gradients):", table,
        "No correctness check was recorded.");
}

/// "Data-dependent branching (model.py:12 in forward)", joined.
std::string graph_breaks_text(const std::vector<GraphBreak>& breaks)
{
    std::vector<std::string> parts;
    for (const GraphBreak& graph_break : breaks)
        parts.push_back(markdown_text(graph_break.reason) + " (" + markdown_text(graph_break.where) + ")");
    return parts.empty() ? "none" : join(parts, "; ");
}

/// Present only when a torch.compile measurement recorded what it did.
std::string compile_explained_section(const RunResult& run)
{
    MarkdownTable table = keyed_table(run,
        { "Graphs", "Graph breaks", "Recompiles", "Dynamic shapes", "Dynamo (ms)", "AOTAutograd (ms)", "Inductor (ms)",
            "Code gen + compile (ms)" });
    for (const Measurement& measurement : run.measurements) {
        if (!measurement.compile_explained)
            continue;
        const CompileExplanation& explained = *measurement.compile_explained;
        std::vector<std::string> recompiles;
        for (const std::string& guard : explained.recompiles)
            recompiles.push_back(markdown_text(guard));
        add_keyed_row(table, run, measurement,
            { std::to_string(explained.graphs), graph_breaks_text(explained.graph_breaks),
                recompiles.empty() ? "none" : join(recompiles, "; "), yes_no(explained.dynamic_shapes),
                fixed(explained.dynamo_ms, 1), fixed(explained.aot_autograd_ms, 1), fixed(explained.inductor_ms, 1),
                fixed(explained.codegen_ms, 1) });
    }
    if (table.empty())
        return "";
    return section("torch.compile explained",
        "What torch.compile did in each measurement, from Dynamo's own per-frame compilation records: the graphs it "
        "compiled, each graph break (Dynamo's reason, and the line it broke at), each recompile with the guard "
        "that failed, and the compile time by stage. Every measurement compiles afresh (the cache is reset), so a "
        "recompile here happened within one measurement.",
        table, "");
}

std::string problems_section(const RunResult& run)
{
    MarkdownTable table = keyed_table(run, { "Status", "Reason" });
    for (const Measurement& measurement : run.measurements) {
        if (!measurement.ok())
            add_keyed_row(table, run, measurement, { to_string(measurement.status), or_dash(measurement.message) });
    }
    return section("Failed, Skipped and Unavailable Measurements", "", table, "None: every measurement is ok.");
}

/// "attention forward, d_model 16, seq_len 256", or the first three and how many more.
std::string listed_cells(const std::vector<std::string>& cells)
{
    constexpr size_t shown = 3;
    std::vector<std::string> first(cells.begin(), cells.begin() + static_cast<long>(std::min(cells.size(), shown)));
    return join(first, "; ") + (cells.size() > shown ? "; and " + std::to_string(cells.size() - shown) + " more" : "");
}

std::string notes_section(const RunResult& run)
{
    std::string text = "## Notes\n\n";
    bool any = false;
    for (const std::string& variant : variants_in(run)) {
        // Each note with the cells it is about, first-seen order.
        std::vector<std::pair<std::string, std::vector<std::string>>> notes;
        size_t measured = 0;
        for (const Measurement& measurement : run.measurements) {
            if (measurement.variant != variant)
                continue;
            ++measured;
            for (const std::string& note : measurement.notes) {
                auto found = std::find_if(
                    notes.begin(), notes.end(), [&note](const auto& entry) { return entry.first == note; });
                if (found == notes.end())
                    found = notes.insert(notes.end(), { note, {} });
                found->second.push_back(describe(measurement.cell, measurement.phase));
            }
        }
        for (const auto& [note, cells] : notes) {
            text += "- **" + variant + "**: " + markdown_text(note) + " ("
                + (cells.size() == measured && measured > 1 ? "every measurement of it" : listed_cells(cells)) + ")\n";
            any = true;
        }
    }
    return text + (any ? "" : "No variant recorded notes.\n");
}

} // namespace

std::string full_markdown(const RunResult& run)
{
    return seed_markdown(run) + "\n" + environment_section(run) + run_section(run) + forward_backward_section(run)
        + latency_section(run) + statistics_section(run) + explained_section(run) + memory_section(run)
        + compile_explained_section(run) + correctness_section(run) + problems_section(run) + notes_section(run);
}

} // namespace compilescope
