#include "run_command.h"

#include "estimate_line.h"
#include "exit_code.h"
#include "output_files.h"
#include "sweep_session.h"
#include "usage_error.h"

#include "compilescope/allocator.h"
#include "compilescope/config.h"
#include "compilescope/journal.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <unistd.h>

namespace compilescope::cli {

namespace {

std::string absolute(const std::string& path)
{
    if (path == "-")
        return path;
    std::error_code error;
    const auto full = std::filesystem::absolute(path, error);
    return error ? path : full.lexically_normal().string();
}

/// Where the journal of a sweep whose reports all go to standard output (or nowhere) lives:
/// $XDG_STATE_HOME/compilescope/journals (default ~/.local/state/...), one file per sweep. "" when there is no
/// usable state folder, with the reason in `why_none`.
std::string state_journal_path(std::string& why_none)
{
    const std::string state = xdg_base_directory("XDG_STATE_HOME", ".local/state");
    if (state.empty()) {
        why_none = "neither XDG_STATE_HOME nor HOME is an absolute path, and the password database names no home";
        return {};
    }
    const std::filesystem::path directory = std::filesystem::path(state) / "compilescope/journals";
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) {
        why_none = "cannot create " + directory.string() + ": " + error.message();
        return {};
    }
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    return (directory / ("run-" + std::string(stamp) + "-" + std::to_string(::getpid()) + ".journal")).string();
}

JournalOutputs journal_outputs(const RunOptions& options)
{
    JournalOutputs outputs;
    if (options.markdown)
        outputs["markdown"] = absolute(*options.markdown);
    if (options.json)
        outputs["json"] = absolute(*options.json);
    if (options.csv)
        outputs["csv"] = absolute(*options.csv);
    return outputs;
}

/// Beside the first report written to a file, else in the state directory ("" and why_none when there is none).
std::string journal_path(const JournalOutputs& outputs, std::string& why_none)
{
    for (const char* format : { "json", "markdown", "csv" }) {
        const auto found = outputs.find(format);
        if (found != outputs.end() && found->second != "-")
            return journal_path_for(found->second);
    }
    return state_journal_path(why_none);
}

} // namespace

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err)
{
    const auto parsed = build_sweep_config(options);
    if (!parsed.errors.empty())
        return report_usage_errors(parsed.errors, "run", err);

    // Before validation: it may initialise LibTorch, whose first allocations should already follow the policy.
    apply_allocator_policy(parsed.config.allocator);

    const auto errors = validate_config(parsed.config);
    if (!errors.empty())
        return report_usage_errors(with_flags(errors, parsed.config), "run", err);
    if (options.estimate) {
        const RunEstimate estimate = estimate_sweep_here(parsed.config);
        out << estimate_line(estimate, nullptr) << "\n" << memory_line(estimate) << std::endl;
        return exit_ok;
    }

    SweepSession session { parsed.config, nullptr, OutputFiles(options.markdown, options.json, options.csv), {}, {},
        options.quiet };
    if (session.outputs.report_problems(err))
        return exit_usage;
    session.journal_outputs = journal_outputs(options);
    std::string why_no_journal;
    session.journal = journal_path(session.journal_outputs, why_no_journal);
    if (session.journal.empty())
        err << "compilescope-cli: warning: no journal (" << why_no_journal
            << "): if this process is killed, the finished measurements are lost" << std::endl;
    if (!session.journal.empty() && std::filesystem::exists(session.journal)) {
        err << "compilescope-cli: error: " << session.journal
            << " exists: a sweep writing these reports was interrupted. `compilescope-cli resume " << session.journal
            << "` finishes it; delete the journal to start over." << std::endl;
        return exit_usage;
    }
    return run_sweep_session(session, out, err);
}

} // namespace compilescope::cli
