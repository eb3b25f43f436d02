#include "command_line.h"

#include "exit_code.h"
#include "export_aoti_command.h"
#include "info_commands.h"
#include "report_command.h"
#include "resume_command.h"
#include "run_command.h"
#include "text_option.h"
#include "typed_options.h"
#include "usage_error.h"

#include "compilescope/presets.h"
#include "compilescope/python.h"
#include "compilescope/text_format.h"
#include "compilescope/validation.h"
#include "compilescope/variant_names.h"
#include "compilescope/variants.h"

#include <CLI/CLI.hpp>

#include <cctype>
#include <sstream>

namespace compilescope::cli {

namespace {

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

std::string int_list_text(const std::vector<int64_t>& values)
{
    std::vector<std::string> items;
    for (const auto value : values)
        items.push_back(std::to_string(value));
    return join(items, ",");
}

std::string default_text(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

std::vector<std::string> variant_names()
{
    std::vector<std::string> names;
    for (const auto& variant : list_variants(Device::cpu))
        names.push_back(variant.name);
    return names;
}

/// The flags that define a sweep; `run` adds its output flags, `export-aoti` has none.
void add_sweep_options(CLI::App& run, RunOptions& options, FlagErrors& errors)
{
    const SweepConfig defaults;
    const auto& attention = defaults.attention;
    const auto& model = defaults.model;
    const auto& measure = defaults.measure;
    auto workloads = workload_names();
    workloads.emplace_back("all");

    add_enum_list(run, errors, "--workload", options.workload, name_table(workload_names(), parse_workload), true,
        "What to measure (a comma list also works; default: every workload)." + allowed(workloads))
        ->type_name("NAME")
        ->default_str("all")
        ->group("Workload");
    NameTable<std::string> presets;
    for (const auto& name : preset_names())
        presets.emplace_back(name, name);
    add_name(run, errors, "--preset", options.preset, presets,
        "Start from a preset's attention grid and model; explicit flags override it. `list` shows each preset."
            + allowed(preset_names()))
        ->group("Workload");
    add_switch(run, "--quick", options.quick,
        "A first look in under a minute: a small grid, few warm-ups, short timing windows (applied after "
        "--preset; explicit flags override it).")
        ->group("Workload");

    add_integer_list(run, errors, "--d-model", options.d_models, "d_model values, comma-separated, each > 0.")
        ->default_str(int_list_text(attention.d_models))
        ->group("Attention");
    add_integer_list(run, errors, "--seq-len", options.seq_lens,
        "seq_len values, comma-separated, each > 0. Every d_model x seq_len pair is one cell.")
        ->default_str(int_list_text(attention.seq_lens))
        ->group("Attention");
    add_integer(run, errors, "--batch", options.batch, "Batch size, > 0.")
        ->default_str(std::to_string(attention.batch))
        ->group("Attention");
    add_switch(run, "--causal", options.causal, "Apply a causal mask (default: off).")->group("Attention");

    const std::string model_group = "TransformerLM (independent of the attention flags)";
    const auto model_size = [&](const std::string& flag, std::optional<int64_t>& target, int64_t default_value,
                                const std::string& description) {
        add_integer(run, errors, flag, target, description)
            ->default_str(std::to_string(default_value))
            ->group(model_group);
    };
    model_size("--vocab-size", options.vocab_size, model.vocab_size, "Vocabulary size, > 0.");
    model_size("--context-length", options.context_length, model.context_length,
        "Context length (RoPE table size), >= --model-seq-len.");
    model_size("--num-layers", options.num_layers, model.num_layers, "Transformer blocks, > 0.");
    model_size("--num-heads", options.num_heads, model.num_heads,
        "Attention heads, > 0; must divide --model-d-model into an even head dimension (RoPE).");
    model_size("--d-ff", options.d_ff, model.d_ff, "SwiGLU feed-forward width, > 0.");
    model_size("--model-d-model", options.model_d_model, model.d_model,
        "Model width. --d-model only sets the attention grid and never changes the model.");
    model_size("--model-seq-len", options.model_seq_len, model.seq_len,
        "Tokens per sequence, 1..--context-length. --seq-len never changes the model.");
    model_size("--model-batch", options.model_batch, model.batch,
        "Sequences per batch, > 0. --batch never changes the model.");
    add_number(run, errors, "--rope-theta", options.rope_theta, "RoPE base, > 0.")
        ->default_str(default_text(model.rope_theta))
        ->group(model_group);

    add_name_list(run, errors, "--variants", options.variants,
        "Execution variants, comma-separated, or all (every variant this build can run on --device, the default: "
        "on the CPU that includes aot-inductor, whose packages take minutes to export, and the Python variants); "
        "eager is the baseline of every speedup. `list` shows which ones this build and device can run."
            + allowed(variant_names()))
        ->default_str("all")
        ->group("Execution");
    add_enum_list(run, errors, "--phases", options.phases, name_table(phase_names(), parse_phase), false,
        "Phases to time, comma-separated; those a workload lacks are ignored (default: every phase of each "
        "workload; attention: forward, backward, forward_backward; transformer_lm: forward, train_step)."
            + allowed(phase_names()))
        ->group("Execution");
    add_name(run, errors, "--device", options.device, name_table(device_names(), parse_device),
        "Where to run; cuda needs a CUDA build of LibTorch and a GPU." + allowed(device_names()))
        ->default_str(to_string(defaults.device))
        ->group("Execution");
    add_name(run, errors, "--dtype", options.dtype, name_table(dtype_names(), parse_dtype),
        "Element type; tf32 keeps fp32 storage with TF32 matmuls on CUDA." + allowed(dtype_names()))
        ->default_str(to_string(defaults.dtype))
        ->group("Execution");
    add_integer(run, errors, "--threads", options.threads, "LibTorch intra-op threads; 0 keeps LibTorch's default.")
        ->default_str(std::to_string(defaults.threads))
        ->group("Execution");
    add_name(run, errors, "--allocator", options.allocator,
        name_table(allocator_policy_names(), parse_allocator_policy),
        "CPU allocator: keep holds freed memory in the process so timed iterations do not page-fault; system "
        "keeps glibc's defaults. Applied at start-up."
            + allowed(allocator_policy_names()))
        ->default_str(to_string(defaults.allocator))
        ->group("Execution");
    add_name(run, errors, "--sdpa-backend", options.sdpa_backend, name_table(sdpa_backend_names(), parse_sdpa_backend),
        "Kernel the fused-sdpa variants may use (at::scaled_dot_product_attention); auto lets LibTorch choose. "
        "A backend that cannot run a cell makes that cell unavailable, with LibTorch's reason."
            + allowed(sdpa_backend_names()))
        ->default_str(to_string(defaults.sdpa_backend))
        ->group("Execution");
    add_path(run, errors, "--speedup-baseline", options.speedup_baseline, "a variant's name",
        "The variant speedups are relative to: eager (C++) or py-eager (Python eager, the seed report's "
        "Uncompiled). Correctness is always checked against eager."
            + allowed(speedup_baseline_names()))
        ->type_name("NAME")
        ->default_str(defaults.speedup_baseline)
        ->group("Execution");
    add_path(run, errors, "--python", options.python, "the path of a Python with torch",
        "The Python (with torch) that runs the Python variants py-eager, torch-compile, torch-compile-ro; "
        "default: the one that owns the linked LibTorch, recorded at build time.")
        ->type_name("PATH")
        ->default_str(build_python())
        ->group("Execution");
    add_name(run, errors, "--py-adamw", options.py_adamw, name_table(python_adamw_names(), parse_python_adamw),
        "AdamW of the Python variants' train step: torch.optim.AdamW's default foreach implementation, or "
        "fused=True."
            + allowed(python_adamw_names()))
        ->default_str(to_string(defaults.python_adamw))
        ->group("Execution");
    add_path(run, errors, "--aoti-cache", options.aoti_cache, "a directory for the AOTInductor packages",
        "Where the AOTInductor variants' packages are kept, made by that Python's torch. Packages are code: only "
        "this directory's are loaded, and it must be private to you.")
        ->type_name("DIR")
        ->default_str(
            default_aoti_cache_directory().empty() ? "(none: no home folder)" : default_aoti_cache_directory())
        ->group("Execution");
    add_integer(run, errors, "--aoti-jobs", options.aoti_jobs,
        "AOTInductor packages exported at once before the sweep measures (one Python process each); 0: half the "
        "cores, at most "
            + std::to_string(max_aoti_jobs) + ".")
        ->default_str("0")
        ->group("Execution");
    // The seed is a uint64 (torch::manual_seed's type), so every value up to 2^64 - 1 is accepted.
    IntegerRange<uint64_t> seeds;
    seeds.refusal = [](const std::string& text) {
        return "must be an integer from 0 to " + std::to_string(std::numeric_limits<uint64_t>::max()) + ", got '" + text
            + "'";
    };
    add_integer(run, errors, "--seed", options.seed, "RNG seed for inputs and parameters, >= 0.", seeds)
        ->default_str(std::to_string(defaults.seed))
        ->group("Execution");
    // The upper end is what int64 bytes can count; the message keeps ">= 0" for the common mistake.
    IntegerRange<int64_t> mebibytes { 0, max_memory_limit_mib, [](const std::string& text) {
                                         return "must be >= 0 and at most " + std::to_string(max_memory_limit_mib)
                                             + " MiB (0: what the device reports available), got " + text;
                                     } };
    add_integer(run, errors, "--memory-limit-mb", options.memory_limit_mb,
        "Skip cells whose memory estimate exceeds this many MiB (reported with both numbers); 0: the memory the "
        "device reports available.",
        mebibytes)
        ->type_name("MIB")
        ->default_str(std::to_string(defaults.memory_limit_bytes))
        ->group("Execution");

    const std::string timing = "Timing";
    add_integer(run, errors, "--warmup", options.warmup, "Untimed iterations before timing, >= 0.")
        ->default_str(std::to_string(measure.warmup_iters))
        ->group(timing);
    // In MeasureConfig 0 means "adaptive", so a literal --iters 0 must be refused here.
    IntegerRange<int> fixed { 1, std::numeric_limits<int>::max(), [](const std::string& text) {
                                 return "must be >= 1 and at most " + std::to_string(std::numeric_limits<int>::max())
                                     + " (got " + text + "); leave --iters out for adaptive timing";
                             } };
    auto* iters = add_integer(run, errors, "--iters", options.iters,
        "Exactly this many timed iterations, >= 1 (default: adaptive, see --min-time).", fixed)
                      ->group(timing);
    const std::vector<CLI::Option*> adaptive {
        add_number(run, errors, "--min-time", options.min_time,
            "Adaptive timing: measure at least this long (and " + std::to_string(measure.min_iters)
                + " iterations), then stop once the standard error is below --target-error of the mean.")
            ->type_name("SECONDS")
            ->default_str(default_text(measure.min_time_s))
            ->group(timing),
        add_number(
            run, errors, "--max-time", options.max_time, "Adaptive timing: stop after this long even if still noisy.")
            ->type_name("SECONDS")
            ->default_str(default_text(measure.max_time_s))
            ->group(timing),
        add_integer(run, errors, "--max-iters", options.max_iters, "Adaptive timing: stop after this many iterations.")
            ->default_str(std::to_string(measure.max_iters))
            ->group(timing),
        add_number(run, errors, "--target-error", options.target_error,
            "Adaptive timing: target standard error of the mean, relative to the mean.")
            ->type_name("FRACTION")
            ->default_str(default_text(measure.target_rel_error))
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
    add_integer(
        run, errors, "--profile-iters", options.profile_iters, "Iterations of the profiled pass (implies --profile).")
        ->default_str(std::to_string(measure.profile_iters))
        ->group(explain);
    add_path(run, errors, "--trace-dir", options.trace_dir, "a directory for the profiled passes' Chrome traces",
        "Keep each profiled pass's Chrome trace (opens in Perfetto) in this directory (implies --profile).")
        ->type_name("DIR")
        ->group(explain);
}

void add_run_options(CLI::App& run, RunOptions& options, FlagErrors& errors)
{
    add_sweep_options(run, options, errors);
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
void warn_ineffective_flags(const RunOptions& options, const std::string& command, std::ostream& err)
{
    const auto parsed = build_sweep_config(options);
    if (!parsed.errors.empty())
        return;
    for (const auto& warning : ineffective_flags(options, parsed.config, command == "export-aoti"))
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
    warn_ineffective_flags(options, command, err);
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

    FlagErrors flag_errors;
    RunOptions run_options;
    auto* run = app.add_subcommand("run", "Run a sweep and report eager vs compiled timings.");
    add_run_options(*run, run_options, flag_errors);

    RunOptions export_options;
    auto* export_aoti = app.add_subcommand("export-aoti",
        "Make the AOTInductor packages a `run` with the same flags would load (every cell and phase), without "
        "measuring: ahead of time for a grid. Prints one line per package.");
    add_sweep_options(*export_aoti, export_options, flag_errors);
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
    std::optional<AllocatorPolicy> env_allocator;
    auto* env
        = app.add_subcommand("env", "Print the environment every report records (LibTorch, CUDA, CPU, BLAS, ...).");
    add_switch(*env, "--json", env_json, "Print JSON instead of text.");
    add_name(*env, flag_errors, "--allocator", env_allocator,
        name_table(allocator_policy_names(), parse_allocator_policy),
        "Allocator policy to apply before reading the environment, as `run` would." + allowed(allocator_policy_names()))
        ->default_str(to_string(AllocatorPolicy::keep));

    try {
        if (const auto problem = short_flag_with_value(argc, argv); !problem.empty())
            throw CLI::ValidationError(problem);
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        if (error.get_exit_code() == 0)
            return app.exit(error, out, err);
        std::string command;
        for (const auto* subcommand : app.get_subcommands())
            command = subcommand->get_name();
        // A value refused by its typed option's check: named like validate_config()'s errors, "FIELD (FLAG): ...".
        if (!flag_errors.errors().empty())
            return report_usage_errors({ flag_errors.errors().back() }, command, err);
        err << "compilescope-cli: error: " << error.what() << "\n"
            << "Run 'compilescope-cli" << (command.empty() ? "" : " " + command)
            << " --help' for the options and their allowed values." << std::endl;
        return exit_usage;
    }

    if (run->parsed() || export_aoti->parsed()) {
        const bool is_run = run->parsed();
        const RunOptions& options = is_run ? run_options : export_options;
        if (!execute)
            return check_sweep_flags(options, is_run ? "run" : "export-aoti", err);
        warn_ineffective_flags(options, is_run ? "run" : "export-aoti", err);
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
    if (execute)
        env_command(env_json, env_allocator.value_or(AllocatorPolicy::keep), out);
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
