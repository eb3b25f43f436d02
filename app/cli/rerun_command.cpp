#include "rerun_command.h"

#include "exit_code.h"
#include "journal_location.h"
#include "report_command.h"
#include "sweep_session.h"
#include "text_option.h"
#include "typed_options.h"

#include "compilescope/allocator.h"
#include "compilescope/engine/environment.h"
#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/rerun.h"
#include "compilescope/run_validation.h"
#include "compilescope/validation.h"

namespace compilescope::cli {

namespace {

/// What the selection marks, after "measurement(s)": "taken under load", "that failed", or both.
std::string marked_as(const RerunSelection& selection)
{
    if (selection.under_load && selection.failed)
        return "taken under load or that failed";
    return selection.under_load ? "taken under load" : "that failed";
}

} // namespace

CLI::App* add_rerun_command(CLI::App& app, RerunOptions& options)
{
    auto* rerun = app.add_subcommand("rerun",
        "Measure again what a saved run (`run --json`) measured under load, on this machine: every variant of each "
        "cell and phase with such a measurement is timed again, together, and replaces the old ones; every other "
        "measurement is kept as it was. Then write the run's reports.");
    rerun->add_option("RUN.json", options.input, "A run saved with `run --json` (your own file).")->required();
    add_switch(*rerun, "--under-load", options.under_load,
        "Re-run the cells and phases with a measurement taken under load (the default when neither this nor "
        "--failed is given).");
    add_switch(*rerun, "--failed", options.failed,
        "Re-run the cells and phases with a failed measurement, the failed one included (a variant that crashed "
        "the worker may crash it again; it is then recorded failed and the sweep goes on).");
    const std::string output
        = "Output (at least one; a results table goes to stdout unless a report is written to '-')";
    add_text(*rerun, "--markdown", options.markdown, "Write the Markdown report of the merged run.")
        ->type_name("FILE")
        ->group(output);
    add_text(*rerun, "--json", options.json, "Write the merged run as JSON (it may be RUN.json itself).")
        ->type_name("FILE")
        ->group(output);
    add_text(*rerun, "--csv", options.csv, "Write the merged run's CSV.")->type_name("FILE")->group(output);
    add_switch(
        *rerun, "--quiet,-q", options.quiet, "No progress or summary on stderr (errors and warnings still appear).")
        ->group(output);
    return rerun;
}

int rerun_command(const RerunOptions& options, std::ostream& out, std::ostream& err)
{
    if (!options.markdown && !options.json && !options.csv) {
        err << "compilescope-cli: error: rerun: give --json FILE (the run with the re-measured cells; RUN.json itself "
               "is allowed), --markdown FILE or --csv FILE"
            << std::endl;
        return exit_usage;
    }
    // A run file names the Python a re-run starts and where it writes traces: only the user's own is used.
    std::optional<RunResult> read = read_run_argument(options.input, err, [&options] {
        check_trusted_file(options.input, "run file",
            "a re-run starts the Python the run names (config.python) and writes where it says (config.trace_dir)");
    });
    if (!read)
        return exit_usage;
    RunResult& run = *read;
    const SweepConfig& config = run.config;
    apply_allocator_policy(config.allocator);
    if (const auto errors = validate_config(config); !errors.empty()) {
        err << "compilescope-cli: error: " << options.input << " holds a configuration this build cannot run:\n"
            << format_errors(errors) << std::endl;
        return exit_usage;
    }
    if (const std::string change = setup_change(run, collect_environment()); !change.empty()) {
        err << "compilescope-cli: error: " << options.input << " was measured elsewhere (" << change
            << "); timings from two set-ups do not belong in one run. Start a new run." << std::endl;
        return exit_usage;
    }

    RerunSelection selection;
    selection.failed = options.failed;
    selection.under_load = options.under_load || !options.failed;
    const RerunPlan plan(run, selection);
    SweepSession session { config, &plan.request(), OutputFiles(options.markdown, options.json, options.csv), {}, {},
        options.quiet, &plan };
    if (session.outputs.report_problems(err))
        return exit_usage;
    if (plan.empty()) {
        // Nothing to measure: the reports are the run's own, as `report` writes them.
        err << "compilescope-cli: nothing to re-run: " << options.input << " has no measurement "
            << marked_as(selection) << "\n";
        const auto written = session.outputs.write(run, out);
        for (const auto& failure : written.failures)
            err << "compilescope-cli: error: " << failure << "\n";
        err << std::flush;
        return written.failures.empty() ? exit_ok : exit_failed;
    }
    session.journal_outputs = journal_outputs(options.markdown, options.json, options.csv);
    std::string why_no_journal;
    session.journal = journal_path(session.journal_outputs, why_no_journal);
    if (session.journal.empty())
        err << "compilescope-cli: warning: no journal (" << why_no_journal
            << "): if this process is killed, what it measured is lost" << std::endl;
    if (report_existing_journal(session.journal, err))
        return exit_usage;

    // What the file makes this command do, said before it does it (errors and warnings show even with --quiet).
    err << "compilescope-cli: re-running " << options.input << ": " << plan.marked() << " measurement(s) "
        << marked_as(selection) << " in " << plan.marked_groups() << " cell(s) and phase(s); " << plan.remeasured()
        << " measurement(s) are measured again (every variant of each), " << plan.request().measurements.size()
        << " kept as they were";
    if (plan.unfinished() > 0)
        err << "; the " << plan.unfinished() << " measurement(s) the run did not finish are measured too";
    err << "\n";
    announce_effects(session, err);
    return run_sweep_session(session, out, err);
}

} // namespace compilescope::cli
