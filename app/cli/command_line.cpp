#include "command_line.h"

#include "exit_code.h"
#include "export_aoti_command.h"
#include "info_commands.h"
#include "report_command.h"
#include "rerun_command.h"
#include "resume_command.h"
#include "run_command.h"
#include "text_option.h"
#include "typed_options.h"
#include "usage_error.h"

#include "compilescope/presets.h"
#include "compilescope/python.h"
#include "compilescope/settings.h"
#include "compilescope/text_format.h"
#include "compilescope/validation.h"
#include "compilescope/variant_info.h"
#include "compilescope/variant_names.h"

#include <CLI/CLI.hpp>

#include <cctype>
#include <sstream>

namespace compilescope::cli {

namespace {

std::string allowed(const std::vector<std::string>& names)
{
    return " Allowed: " + join(names, ", ") + ".";
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

void add_run_options(CLI::App& run, RunOptions& options, FlagErrors& errors)
{
    add_sweep_flags(run, options, errors);
    add_text(run, "--model-file", options.model_file,
        "Race your own PyTorch module: a Python file that names its size axes (AXES) and builds the module and its "
        "inputs at one point of them (build(point, device, dtype)); docs/model-files.md, examples/model_files/. "
        "Its variants are the Python ones (py-eager, the baseline, and torch-compile ...).")
        ->type_name("FILE")
        ->group(setting_group::workload);
    run.add_option("--axis", options.axes,
           "One axis of --model-file swept over these values instead of the file's defaults: NAME=V1,V2,... "
           "(repeat for each axis).")
        ->type_name("NAME=LIST")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->check(value_not_a_flag)
        ->group(setting_group::workload);
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
    add_switch(run, "--quiet,-q", options.quiet,
        "No estimate, progress or summary on stderr (errors and warnings still appear).")
        ->group(output);
    add_switch(run, "--estimate", options.estimate,
        "Print what the sweep would cost (measurements, about how long and what that includes, the largest cell's "
        "memory) on stdout, and run nothing.")
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
    add_sweep_flags(*export_aoti, export_options, flag_errors);
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

    RerunOptions rerun_options;
    auto* rerun = add_rerun_command(app, rerun_options);

    bool list_json = false;
    auto* list = app.add_subcommand("list", "List workloads with their phases, presets, and variants per device.");
    add_switch(*list, "--json", list_json, "Print JSON instead of text.");

    bool env_json = false;
    std::optional<AllocatorPolicy> env_allocator;
    auto* env
        = app.add_subcommand("env", "Print the environment every report records (LibTorch, CUDA, CPU, BLAS, ...).");
    add_switch(*env, "--json", env_json, "Print JSON instead of text.");
    add_name(*env, flag_errors, "--allocator", into(env_allocator),
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
    if (rerun->parsed())
        return execute ? rerun_command(rerun_options, out, err) : exit_ok;
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
