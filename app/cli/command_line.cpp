#include "command_line.h"

#include "exit_code.h"
#include "export_aoti_command.h"
#include "info_commands.h"
#include "report_command.h"
#include "resume_command.h"
#include "run_command.h"
#include "text_option.h"
#include "usage_error.h"

#include "compilescope/presets.h"
#include "compilescope/python.h"
#include "compilescope/validation.h"
#include "compilescope/variant_names.h"
#include "compilescope/variants.h"

#include <CLI/CLI.hpp>

#include <cctype>
#include <sstream>

namespace compilescope::cli {

namespace {

template <typename T> std::string join(const std::vector<T>& values, const std::string& separator = ",")
{
    std::ostringstream text;
    for (size_t i = 0; i < values.size(); ++i)
        text << (i == 0 ? "" : separator) << values[i];
    return text.str();
}

std::string allowed(const std::vector<std::string>& names)
{
    return " Allowed: " + join(names, ", ") + ".";
}

/// A boolean flag: alone it means true, and `--flag=true|false|1|0` sets it either way (the last one given wins).
/// CLI11 alone would take yes/no/on/off and any integer too, and a flag callback that sums counts would throw on
/// `--causal=false`'s text or read it as true.
CLI::Option* add_switch(CLI::App& app, const std::string& name, bool& target, const std::string& description)
{
    const CLI::Validator boolean(
        [](std::string& value) -> std::string {
            // An absent flag is validated as "" (its default); a flag given alone arrives as "true".
            if (value.empty() || value == "true" || value == "false" || value == "1" || value == "0")
                return {};
            return "takes no value, or =true, =false, =1 or =0 (got '" + value + "')";
        },
        "BOOL", "boolean");
    return app.add_flag(name, target, description)->check(boolean);
}

/// CLI11 reads `-q=1` as the short flags -q, -= and -1 and blames "-=1". Short flags take no value here, so say so
/// before CLI11 parses. An empty string when no argument has that form.
std::string short_flag_with_value(int argc, const char* const* argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i] ? argv[i] : "";
        if (argument.size() >= 3 && argument[0] == '-' && std::isalpha(static_cast<unsigned char>(argument[1]))
            && argument[2] == '=') {
            const std::string flag = argument.substr(0, 2);
            if (flag == "-q")
                return "'" + argument + "': the short flag -q takes no value (use -q alone, or --quiet=true|false|1|0)";
            if (flag == "-h")
                return "'" + argument + "': the short flag -h takes no value (use -h alone)";
            return "'" + argument + "': " + flag + " is not a flag (the short flags are -q and -h, and take no value)";
        }
    }
    return {};
}

template <typename T>
CLI::Option* add_with_default(CLI::App& app, const std::string& name, std::optional<std::string>& target,
    const std::string& type, const T& default_value, const std::string& description)
{
    std::ostringstream text;
    text << default_value;
    return add_text(app, name, target, description)->type_name(type)->default_str(text.str());
}

std::vector<std::string> variant_names()
{
    std::vector<std::string> names;
    for (const auto& variant : list_variants(Device::cpu))
        names.push_back(variant.name);
    return names;
}

/// The flags that define a sweep; `run` adds its output flags, `export-aoti` has none.
void add_sweep_options(CLI::App& run, RunOptions& options)
{
    const SweepConfig defaults;
    const auto& attention = defaults.attention;
    const auto& model = defaults.model;
    const auto& measure = defaults.measure;
    auto workloads = workload_names();
    workloads.emplace_back("all");

    add_text(run, "--workload", options.workload,
        "What to measure (a comma list also works; default: every workload)." + allowed(workloads))
        ->type_name("NAME")
        ->default_str("all")
        ->group("Workload");
    add_text(run, "--preset", options.preset,
        "Start from a preset's attention grid and model; explicit flags override it. `list` shows each preset."
            + allowed(preset_names()))
        ->type_name("NAME")
        ->group("Workload");
    add_switch(run, "--quick", options.quick,
        "A first look in under a minute: a small grid, few warm-ups, short timing windows (applied after "
        "--preset; explicit flags override it).")
        ->group("Workload");

    add_with_default(run, "--d-model", options.d_models, "LIST", join(attention.d_models),
        "d_model values, comma-separated, each > 0.")
        ->group("Attention");
    add_with_default(run, "--seq-len", options.seq_lens, "LIST", join(attention.seq_lens),
        "seq_len values, comma-separated, each > 0. Every d_model x seq_len pair is one cell.")
        ->group("Attention");
    add_with_default(run, "--batch", options.batch, "INT", attention.batch, "Batch size, > 0.")->group("Attention");
    add_switch(run, "--causal", options.causal, "Apply a causal mask (default: off).")->group("Attention");

    const std::string model_group = "TransformerLM (independent of the attention flags)";
    add_with_default(run, "--vocab-size", options.vocab_size, "INT", model.vocab_size, "Vocabulary size, > 0.")
        ->group(model_group);
    add_with_default(run, "--context-length", options.context_length, "INT", model.context_length,
        "Context length (RoPE table size), >= --model-seq-len.")
        ->group(model_group);
    add_with_default(run, "--num-layers", options.num_layers, "INT", model.num_layers, "Transformer blocks, > 0.")
        ->group(model_group);
    add_with_default(run, "--num-heads", options.num_heads, "INT", model.num_heads,
        "Attention heads, > 0; must divide --model-d-model into an even head dimension (RoPE).")
        ->group(model_group);
    add_with_default(run, "--d-ff", options.d_ff, "INT", model.d_ff, "SwiGLU feed-forward width, > 0.")
        ->group(model_group);
    add_with_default(run, "--model-d-model", options.model_d_model, "INT", model.d_model,
        "Model width. --d-model only sets the attention grid and never changes the model.")
        ->group(model_group);
    add_with_default(run, "--model-seq-len", options.model_seq_len, "INT", model.seq_len,
        "Tokens per sequence, 1..--context-length. --seq-len never changes the model.")
        ->group(model_group);
    add_with_default(run, "--model-batch", options.model_batch, "INT", model.batch,
        "Sequences per batch, > 0. --batch never changes the model.")
        ->group(model_group);
    add_with_default(run, "--rope-theta", options.rope_theta, "FLOAT", model.rope_theta, "RoPE base, > 0.")
        ->group(model_group);

    add_with_default(run, "--variants", options.variants, "LIST", join(defaults.variants),
        "Execution variants, comma-separated, or all (every variant this build can run on --device); eager is "
        "the baseline of every speedup. `list` shows which ones this build and device can run."
            + allowed(variant_names()))
        ->group("Execution");
    add_text(run, "--phases", options.phases,
        "Phases to time, comma-separated; those a workload lacks are ignored (default: every phase of each "
        "workload; attention: forward, backward, forward_backward; transformer_lm: forward, train_step)."
            + allowed(phase_names()))
        ->type_name("LIST")
        ->group("Execution");
    add_with_default(run, "--device", options.device, "NAME", to_string(defaults.device),
        "Where to run; cuda needs a CUDA build of LibTorch and a GPU." + allowed(device_names()))
        ->group("Execution");
    add_with_default(run, "--dtype", options.dtype, "NAME", to_string(defaults.dtype),
        "Element type; tf32 keeps fp32 storage with TF32 matmuls on CUDA." + allowed(dtype_names()))
        ->group("Execution");
    add_with_default(run, "--threads", options.threads, "INT", defaults.threads,
        "LibTorch intra-op threads; 0 keeps LibTorch's default.")
        ->group("Execution");
    add_with_default(run, "--allocator", options.allocator, "NAME", to_string(defaults.allocator),
        "CPU allocator: keep holds freed memory in the process so timed iterations do not page-fault; system "
        "keeps glibc's defaults. Applied at start-up."
            + allowed(allocator_policy_names()))
        ->group("Execution");
    add_with_default(run, "--sdpa-backend", options.sdpa_backend, "NAME", to_string(defaults.sdpa_backend),
        "Kernel the fused-sdpa variants may use (at::scaled_dot_product_attention); auto lets LibTorch choose. "
        "A backend that cannot run a cell makes that cell unavailable, with LibTorch's reason."
            + allowed(sdpa_backend_names()))
        ->group("Execution");
    add_with_default(run, "--speedup-baseline", options.speedup_baseline, "NAME", defaults.speedup_baseline,
        "The variant speedups are relative to: eager (C++) or py-eager (Python eager, the seed report's "
        "Uncompiled). Correctness is always checked against eager."
            + allowed(speedup_baseline_names()))
        ->group("Execution");
    add_with_default(run, "--python", options.python, "PATH", build_python(),
        "The Python (with torch) that runs the Python variants py-eager, torch-compile, torch-compile-ro; "
        "default: the one that owns the linked LibTorch, recorded at build time.")
        ->group("Execution");
    add_with_default(run, "--py-adamw", options.py_adamw, "NAME", to_string(defaults.python_adamw),
        "AdamW of the Python variants' train step: torch.optim.AdamW's default foreach implementation, or "
        "fused=True."
            + allowed(python_adamw_names()))
        ->group("Execution");
    add_with_default(run, "--aoti-cache", options.aoti_cache, "DIR", default_aoti_cache_directory(),
        "Where the AOTInductor variants' packages are kept, made by that Python's torch. Packages are code: only "
        "this directory's are loaded, and it must be private to you.")
        ->group("Execution");
    add_with_default(run, "--aoti-jobs", options.aoti_jobs, "INT", 0,
        "AOTInductor packages exported at once before the sweep measures (one Python process each); 0: half the "
        "cores, at most "
            + std::to_string(max_aoti_jobs) + ".")
        ->group("Execution");
    add_with_default(run, "--seed", options.seed, "INT", defaults.seed, "RNG seed for inputs and parameters, >= 0.")
        ->group("Execution");
    add_with_default(run, "--memory-limit-mb", options.memory_limit_mb, "MIB", defaults.memory_limit_bytes,
        "Skip cells whose memory estimate exceeds this many MiB (reported with both numbers); 0: the memory the "
        "device reports available.")
        ->group("Execution");

    const std::string timing = "Timing";
    add_with_default(
        run, "--warmup", options.warmup, "INT", measure.warmup_iters, "Untimed iterations before timing, >= 0.")
        ->group(timing);
    auto* iters = add_text(
        run, "--iters", options.iters, "Exactly this many timed iterations, >= 1 (default: adaptive, see --min-time).")
                      ->type_name("INT")
                      ->group(timing);
    const std::vector<CLI::Option*> adaptive {
        add_with_default(run, "--min-time", options.min_time, "SECONDS", measure.min_time_s,
            "Adaptive timing: measure at least this long (and " + std::to_string(measure.min_iters)
                + " iterations), then stop once the standard error is below --target-error of the mean.")
            ->group(timing),
        add_with_default(run, "--max-time", options.max_time, "SECONDS", measure.max_time_s,
            "Adaptive timing: stop after this long even if still noisy.")
            ->group(timing),
        add_with_default(run, "--max-iters", options.max_iters, "INT", measure.max_iters,
            "Adaptive timing: stop after this many iterations.")
            ->group(timing),
        add_with_default(run, "--target-error", options.target_error, "FRACTION", measure.target_rel_error,
            "Adaptive timing: target standard error of the mean, relative to the mean.")
            ->group(timing),
    };
    for (auto* option : adaptive)
        iters->excludes(option);
    add_switch(run, "--flush-l2", options.flush_l2,
        "CUDA: overwrite twice the L2 cache before every timed iteration, so each starts cold.")
        ->group(timing);
    const std::string explain = "Explain (a profiled pass after the timed iterations; timings are never profiled)";
    add_switch(run, "--profile", options.profile,
        "Run a few more iterations under LibTorch's profiler (Kineto): kernels or operators per iteration, "
        "GPU-busy share, top kernels, the bound in the report's Explained table.")
        ->group(explain);
    add_with_default(run, "--profile-iters", options.profile_iters, "INT", measure.profile_iters,
        "Iterations of the profiled pass (implies --profile).")
        ->group(explain);
    add_text(run, "--trace-dir", options.trace_dir,
        "Keep each profiled pass's Chrome trace (opens in Perfetto) in this directory (implies --profile).")
        ->type_name("DIR")
        ->group(explain);
}

void add_run_options(CLI::App& run, RunOptions& options)
{
    add_sweep_options(run, options);
    const std::string output = "Output (a results table goes to stdout unless a report is written to '-')";
    add_text(run, "--markdown", options.markdown, "Write the Markdown report (seed layout + extended sections).")
        ->type_name("FILE")
        ->group(output);
    add_text(run, "--json", options.json, "Write the run as JSON (readable by `report` and the GUI).")
        ->type_name("FILE")
        ->group(output);
    add_text(run, "--csv", options.csv, "Write one CSV row per cell x phase x variant.")
        ->type_name("FILE")
        ->group(output);
    add_switch(run, "--quiet,-q", options.quiet, "No progress or summary on stderr (errors and warnings still appear).")
        ->group(output);
}

/// Prints "compilescope-cli: warning: ..." for each explicit flag that cannot change what the sweep runs. Nothing when
/// the flags have errors of their own: the command reports those.
void warn_ineffective_flags(const RunOptions& options, std::ostream& err)
{
    const auto parsed = build_sweep_config(options);
    if (!parsed.errors.empty())
        return;
    for (const auto& warning : ineffective_flags(options, parsed.config))
        err << "compilescope-cli: warning: " << warning << "\n";
    err << std::flush;
}

/// What check_command_line() does for `run` and `export-aoti`: every check of the flags the command makes before it
/// starts (the output paths are checked by the command itself).
int check_sweep_flags(const RunOptions& options, const std::string& command, std::ostream& err)
{
    const auto parsed = build_sweep_config(options);
    if (!parsed.errors.empty())
        return report_usage_errors(parsed.errors, command, err);
    warn_ineffective_flags(options, err);
    const auto errors = validate_config(parsed.config);
    if (!errors.empty())
        return report_usage_errors(with_flags(errors, parsed.config), command, err);
    return exit_ok;
}

int parse_and_dispatch(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool execute)
{
    CLI::App app("CompileScope: how much faster is the compiled version of a PyTorch workload than eager, at this "
                 "size, on this machine?",
        "compilescope-cli");
    app.set_version_flag("--version", std::function<std::string()>(version_text),
        "Print the version, git revision "
        "and LibTorch version, then exit");
    app.require_subcommand(1);
    app.footer("Exit codes: 0 every attempted measurement ok (skipped/unavailable ones included); 1 a measurement "
               "failed or a report could not be written; 2 invalid usage or input (nothing ran, nothing written); "
               "128+N stopped by signal N (130: Ctrl-C), finished measurements written.");

    RunOptions run_options;
    auto* run = app.add_subcommand("run", "Run a sweep and report eager vs compiled timings.");
    add_run_options(*run, run_options);

    RunOptions export_options;
    auto* export_aoti = app.add_subcommand("export-aoti",
        "Make the AOTInductor packages a `run` with the same flags would load (every cell and phase), without "
        "measuring: ahead of time for a grid. Prints one line per package.");
    add_sweep_options(*export_aoti, export_options);
    add_switch(*export_aoti, "--quiet,-q", export_options.quiet, "No progress on stderr (errors still appear).");

    ReportOptions report_options;
    auto* report = app.add_subcommand(
        "report", "Regenerate reports from a run saved with `run --json` (no output flag: Markdown on stdout).");
    report->add_option("RUN.json", report_options.input, "A run saved with `run --json`.")->required();
    add_text(*report, "--markdown", report_options.markdown, "Write the Markdown report ('-': stdout).")
        ->type_name("FILE");
    add_text(*report, "--json", report_options.json, "Write the run as JSON again ('-': stdout).")->type_name("FILE");
    add_text(*report, "--csv", report_options.csv, "Write the CSV ('-': stdout).")->type_name("FILE");
    add_text(*report, "--speedup-baseline", report_options.speedup_baseline,
        "Render speedups over this variant instead of the run's baseline." + allowed(speedup_baseline_names()))
        ->type_name("NAME");

    ResumeOptions resume_options;
    auto* resume = add_resume_command(app, resume_options);

    bool list_json = false;
    auto* list = app.add_subcommand("list", "List workloads with their phases, presets, and variants per device.");
    add_switch(*list, "--json", list_json, "Print JSON instead of text.");

    bool env_json = false;
    std::optional<std::string> env_allocator;
    auto* env
        = app.add_subcommand("env", "Print the environment every report records (LibTorch, CUDA, CPU, BLAS, ...).");
    add_switch(*env, "--json", env_json, "Print JSON instead of text.");
    add_with_default(*env, "--allocator", env_allocator, "NAME", to_string(AllocatorPolicy::keep),
        "Allocator policy to apply before reading the environment, as `run` would."
            + allowed(allocator_policy_names()));

    try {
        if (const auto problem = short_flag_with_value(argc, argv); !problem.empty())
            throw CLI::ValidationError(problem);
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0)
            return app.exit(error, out, err);
        std::string command;
        for (const auto* subcommand : app.get_subcommands())
            command = " " + subcommand->get_name();
        err << "compilescope-cli: error: " << error.what() << "\n"
            << "Run 'compilescope-cli" << command << " --help' for the options and their allowed values." << std::endl;
        return exit_usage;
    }

    if (run->parsed() || export_aoti->parsed()) {
        const bool is_run = run->parsed();
        const RunOptions& options = is_run ? run_options : export_options;
        if (!execute)
            return check_sweep_flags(options, is_run ? "run" : "export-aoti", err);
        warn_ineffective_flags(options, err);
        return is_run ? run_command(options, out, err) : export_aoti_command(options, out, err);
    }
    if (report->parsed())
        return execute ? report_command(report_options, out, err) : exit_ok;
    if (resume->parsed())
        return execute ? resume_command(resume_options, out, err) : exit_ok;
    if (list->parsed()) {
        if (execute)
            list_command(list_json, out);
        return exit_ok;
    }
    AllocatorPolicy allocator = AllocatorPolicy::keep;
    if (env_allocator) {
        const auto parsed = parse_allocator_policy(*env_allocator);
        if (!parsed)
            return report_usage_errors({ { "allocator", "--allocator",
                                           "unknown value '" + *env_allocator
                                               + "' (allowed: " + join(allocator_policy_names(), ", ") + ")" } },
                "env", err);
        allocator = *parsed;
    }
    if (execute)
        env_command(env_json, allocator, out);
    return exit_ok;
}

} // namespace

int run_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    return parse_and_dispatch(argc, argv, out, err, true);
}

int check_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    return parse_and_dispatch(argc, argv, out, err, false);
}

} // namespace compilescope::cli
