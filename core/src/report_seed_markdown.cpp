// The seed report's layout (seed_markdown): the header and its Note, the attention and TransformerLM tables, the
// Analysis. The extended sections (report_extended_markdown.cpp) follow it in full_markdown.
#include "report_seed_markdown.h"

#include "compilescope/reports.h"
#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"
#include "markdown_table.h"
#include "report_analysis.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace compilescope {

namespace {

bool has_workload(const RunResult& run, Workload workload)
{
    return std::any_of(run.measurements.begin(), run.measurements.end(),
        [workload](const Measurement& measurement) { return measurement.cell.workload == workload; });
}

/// The compared variants (every one but the baseline) that ran somewhere in this run. One that was unavailable
/// everywhere gets no table of "unavailable" cells: the Analysis and the extended sections say why it is missing.
std::vector<std::string> compared_variants_that_ran(const RunResult& run)
{
    std::vector<std::string> variants = compared_variants(run);
    variants.erase(std::remove_if(variants.begin(), variants.end(),
                       [&run](const std::string& variant) {
                           return std::none_of(
                               run.measurements.begin(), run.measurements.end(), [&variant](const Measurement& m) {
                                   return m.variant == variant && m.status != MeasurementStatus::unavailable;
                               });
                       }),
        variants.end());
    return variants;
}

/// The attention cells that have at least one measurement, in the seed's order (d_model, then seq_len).
std::vector<CellKey> attention_cells(const RunResult& run)
{
    std::vector<CellKey> cells;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.cell.workload == Workload::attention
            && std::find(cells.begin(), cells.end(), measurement.cell) == cells.end())
            cells.push_back(measurement.cell);
    }
    std::sort(cells.begin(), cells.end(), [](const CellKey& a, const CellKey& b) {
        return std::tie(a.batch, a.d_model, a.seq_len) < std::tie(b.batch, b.d_model, b.seq_len);
    });
    return cells;
}

/// A seed-table timing cell: `mean±std` when timed, the status when not, a dash when never planned.
std::string timing_cell(const Measurement* measurement)
{
    if (measurement == nullptr)
        return no_value;
    if (!measurement->ok())
        return to_string(measurement->status);
    return measurement->stats.n > 0 ? mean_std(measurement->stats) : no_value;
}

std::string speedup_cell(const RunResult& run, const Measurement* measurement)
{
    if (measurement == nullptr)
        return no_value;
    const auto ratio = speedup_over_baseline(run, *measurement);
    return ratio ? speedup_text(ratio->mean) : no_value;
}

/// The seed's attention table for one compiled variant: per phase, uncompiled, compiled and speedup columns.
std::string attention_table(const RunResult& run, const std::string& variant, const std::vector<Phase>& phases)
{
    std::vector<std::string> headers { "d_model", "seq_len" };
    for (Phase phase : phases) {
        const std::string name = display_name(phase);
        headers.push_back("Uncompiled " + name + " (ms)");
        // A variant that compiles nothing (py-eager, fused-sdpa) is named, not called compiled.
        headers.push_back(
            (variant_traits(variant).compiles ? std::string("Compiled ") : variant + " ") + name + " (ms)");
        headers.push_back(name + " Speedup");
    }
    MarkdownTable table(headers);
    for (const CellKey& cell : attention_cells(run)) {
        std::vector<std::string> row { std::to_string(cell.d_model), std::to_string(cell.seq_len) };
        for (Phase phase : phases) {
            const Measurement* compiled = find_measurement(run, cell, phase, variant);
            row.push_back(timing_cell(find_measurement(run, cell, phase, speedup_baseline(run))));
            row.push_back(timing_cell(compiled));
            row.push_back(speedup_cell(run, compiled));
        }
        table.add_row(std::move(row));
    }
    return table.render();
}

std::string device_line(const RunResult& run)
{
    const Environment& environment = run.environment;
    std::string device = run.config.device == Device::cuda ? "CUDA" : "CPU";
    const std::string& model = run.config.device == Device::cuda ? environment.gpu_name : environment.cpu_model;
    return model.empty() ? device : device + " (" + model + ")";
}

std::string intra_op_threads(int count)
{
    return std::to_string(count) + (count == 1 ? " intra-op thread" : " intra-op threads");
}

std::string allocator_text(const RunResult& run)
{
    return run.environment.allocator.empty() ? to_string(run.config.allocator) : run.environment.allocator;
}

/// The seed's Note, computed from the run instead of written by hand.
std::string note(const RunResult& run)
{
    const SweepConfig& config = run.config;
    std::string text = "**Note:** Running on " + device_line(run) + " with this configuration:\n";
    text += "- Threads: " + threads_text(run) + "\n";
    text += "- Allocator: " + allocator_text(run) + "\n";
    text += "- Dtype: " + to_string(config.dtype) + "\n";
    text += "- Iterations: " + iteration_policy(config.measure) + "\n";
    if (config.device == Device::cuda)
        text += "- Timing: " + timing_method(config) + "\n";
    if (has_workload(run, Workload::attention))
        text += "- Attention: batch " + std::to_string(config.attention.batch) + ", causal mask "
            + (config.attention.causal ? "on" : "off") + "\n";
    if (!config.preset.empty())
        text += "- Preset: " + config.preset + "\n";
    if (run.cancelled)
        text += "- Cancelled before the sweep finished\n";
    return text;
}

std::string header(const RunResult& run)
{
    const Environment& environment = run.environment;
    std::string text = "# torch.compile Benchmark Results\n\n";
    // Two spaces end each line with a line break: Markdown joins plain lines into one paragraph, which ran the
    // header's fields together.
    text += "**Date:** " + seed_date(run.started_at) + "  \n";
    text += "**Device:** " + device_line(run) + "  \n";
    text += "**LibTorch Version:** " + (environment.libtorch_version.empty() ? no_value : environment.libtorch_version)
        + "  \n";
    text += "**Device Availability:**\n";
    text += std::string("- CUDA: ") + (environment.cuda_available ? "True" : "False") + "\n";
    text += std::string("- MPS: ") + (environment.mps_available ? "True" : "False") + "\n\n";
    return text + note(run) + "\n";
}

std::string attention_section(const RunResult& run)
{
    return "## Attention Module Compilation Results\n\n"
           "Comparison of compiled vs uncompiled attention implementation:\n\n"
        + attention_tables(run, { Phase::forward, Phase::backward });
}

std::string model_section(const RunResult& run)
{
    const ModelConfig& model = run.config.model;
    std::string text = "## Transformer Model Compilation Results\n\n"
                       "Comparison of compiled vs uncompiled TransformerLM model:\n\n"
                       "### Model Configuration\n";
    text += "- **vocab_size:** " + std::to_string(model.vocab_size) + "\n";
    text += "- **context_length:** " + std::to_string(model.context_length) + "\n";
    text += "- **d_model:** " + std::to_string(model.d_model) + "\n";
    text += "- **num_layers:** " + std::to_string(model.num_layers) + "\n";
    text += "- **num_heads:** " + std::to_string(model.num_heads) + "\n";
    text += "- **d_ff:** " + std::to_string(model.d_ff) + "\n";
    text += "- **device:** " + to_string(run.config.device) + "\n";
    text += "- **Batch size:** " + std::to_string(model.batch) + "\n";
    text += "- **Sequence length:** " + std::to_string(model.seq_len) + "\n\n";

    CellKey cell;
    for (const Measurement& measurement : run.measurements) {
        if (measurement.cell.workload == Workload::transformer_lm) {
            cell = measurement.cell;
            break;
        }
    }
    MarkdownTable table({ "Version", "Forward Only (ms)", "Forward+Backward+Optimizer (ms)", "Full Step Speedup" });
    auto add_row = [&](const std::string& label, const std::string& variant) {
        const Measurement* train = find_measurement(run, cell, Phase::train_step, variant);
        table.add_row({ label, timing_cell(find_measurement(run, cell, Phase::forward, variant)), timing_cell(train),
            speedup_cell(run, train) });
    };
    add_row(speedup_baseline(run) == eager_variant ? "Uncompiled" : "Uncompiled (" + speedup_baseline(run) + ")",
        speedup_baseline(run));
    const std::vector<std::string> variants = compared_variants_that_ran(run);
    for (const std::string& variant : variants)
        add_row(!variant_traits(variant).compiles ? variant_label(variant)
                : variants.size() == 1            ? "Compiled"
                                                  : "Compiled (" + variant_label(variant) + ")",
            variant);
    return text + "### Performance Results\n\n" + table.render() + "\n";
}

std::string bullets(const std::vector<std::string>& lines)
{
    std::string text;
    for (const std::string& line : lines)
        text += line + "\n";
    return text;
}

std::string analysis_section(const RunResult& run)
{
    return "## Analysis\n\n### Compilation support on this build\n\n" + bullets(compilation_support(run))
        + "\n### Key Observations\n\n" + bullets(key_observations(run));
}

} // namespace

std::string attention_tables(const RunResult& run, const std::vector<Phase>& phases)
{
    std::vector<std::string> variants = compared_variants_that_ran(run);
    if (variants.empty())
        variants.emplace_back(); // eager only: the compiled columns show dashes
    std::string text;
    for (const std::string& variant : variants) {
        if (variants.size() > 1)
            text += "### " + variant_label(variant) + "\n\n";
        text += attention_table(run, variant, phases) + "\n";
    }
    return text;
}

std::string iteration_policy(const MeasureConfig& measure)
{
    std::ostringstream text;
    text << measure.warmup_iters << " warm-up, then ";
    if (measure.fixed_iters > 0) {
        text << measure.fixed_iters << " timed iterations";
    } else {
        text << "adaptive: at least " << measure.min_iters << " iterations and " << measure.min_time_s
             << " s, until the standard error is under " << percent(measure.target_rel_error)
             << " of the mean, at most " << measure.max_iters << " iterations or " << measure.max_time_s << " s";
    }
    return text.str();
}

std::string threads_text(const RunResult& run)
{
    if (run.config.threads > 0)
        return intra_op_threads(run.config.threads);
    return intra_op_threads(run.environment.torch_threads) + " (LibTorch default)";
}

std::string timing_method(const SweepConfig& config)
{
    const std::string order = config.measure.interleave
        ? "; the C++ variants of a cell take turns, one iteration each, so drift cancels out of their speedups "
          "(Python variants run one after another in their own process)"
        : "; one variant after another";
    if (config.device == Device::cpu)
        return "steady clock around each iteration" + order;
    return std::string("CUDA events around each iteration, started on an idle device")
        + (config.measure.flush_l2 ? "; L2 cache flushed before each" : "; L2 cache not flushed") + order;
}

std::string seed_markdown(const RunResult& run)
{
    std::string text = header(run);
    if (has_workload(run, Workload::attention))
        text += attention_section(run);
    if (has_workload(run, Workload::transformer_lm))
        text += model_section(run);
    return text + analysis_section(run);
}

} // namespace compilescope
