#include "resume_command.h"

#include "exit_code.h"
#include "sweep_session.h"
#include "text_option.h"

#include "compilescope/allocator.h"
#include "compilescope/engine/environment.h"
#include "compilescope/file_io.h"
#include "compilescope/journal.h"
#include "compilescope/reports.h"
#include "compilescope/sweep_events.h"
#include "compilescope/sweep_plan.h"
#include "compilescope/validation.h"

#include <optional>

namespace compilescope::cli {

namespace {

std::optional<std::string> output(
    const std::optional<std::string>& flag, const JournalOutputs& recorded, const char* format, bool any_flag)
{
    if (any_flag)
        return flag;
    const auto found = recorded.find(format);
    return found == recorded.end() ? std::nullopt : std::optional<std::string>(found->second);
}

} // namespace

CLI::App* add_resume_command(CLI::App& app, ResumeOptions& options)
{
    auto* resume = app.add_subcommand("resume",
        "Finish a sweep that was stopped or killed, from the journal `run` keeps beside its first report "
        "(REPORT.journal): runs only the cells and phases that did not finish, with the same configuration, then "
        "writes the reports where `run` would have.");
    resume->add_option("JOURNAL", options.journal, "The journal of the interrupted sweep.")->required();
    const auto add_output = [resume](const char* name, std::optional<std::string>& target, const char* what) {
        add_text(*resume, name, target,
            std::string("Write the ") + what + " here instead ('-': stdout); any output flag replaces all the "
                + "reports the journal names.")
            ->type_name("FILE");
    };
    add_output("--markdown", options.markdown, "Markdown report");
    add_output("--json", options.json, "run as JSON");
    add_output("--csv", options.csv, "CSV");
    resume->add_flag("--quiet,-q", options.quiet, "No progress on stderr (errors still appear).");
    return resume;
}

int resume_command(const ResumeOptions& options, std::ostream& out, std::ostream& err)
{
    Journal journal;
    try {
        journal = read_journal(options.journal);
    } catch (const std::exception& error) {
        err << "compilescope-cli: error: " << error.what() << std::endl;
        return exit_usage;
    }
    const SweepConfig& config = journal.run.config;
    apply_allocator_policy(config.allocator);
    if (const auto errors = validate_config(config); !errors.empty()) {
        err << "compilescope-cli: error: " << options.journal << " holds an invalid configuration:\n"
            << format_errors(errors) << std::endl;
        return exit_usage;
    }
    if (const std::string change = setup_change(journal.run, collect_environment()); !change.empty()) {
        err << "compilescope-cli: error: " << options.journal << " was written elsewhere (" << change
            << "); timings from two set-ups do not belong in one report. Start a new run." << std::endl;
        return exit_usage;
    }

    const bool any_flag = options.markdown || options.json || options.csv;
    const std::optional<std::string> markdown = output(options.markdown, journal.outputs, "markdown", any_flag);
    const std::optional<std::string> json = output(options.json, journal.outputs, "json", any_flag);
    const std::optional<std::string> csv = output(options.csv, journal.outputs, "csv", any_flag);
    SweepSession session { config, &journal.run, OutputFiles(markdown, json, csv), options.journal, journal.outputs,
        options.quiet };
    if (session.outputs.report_problems(err))
        return exit_usage;
    // What the journal makes this command do, said before it does it (errors and warnings show even with --quiet).
    err << "compilescope-cli: resuming " << options.journal << ": " << journal.run.measurements.size() << " of "
        << planned_measurements(config) << " measurements finished before";
    if (journal.torn_lines > 0)
        err << " (" << journal.torn_lines << " unreadable line(s) ignored: the process was killed mid-write)";
    err << "\n";
    announce_effects(session, err);
    return run_sweep_session(session, out, err);
}

} // namespace compilescope::cli
