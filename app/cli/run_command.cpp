#include "run_command.h"

#include "estimate_line.h"
#include "exit_code.h"
#include "journal_location.h"
#include "output_files.h"
#include "sweep_session.h"
#include "usage_error.h"

#include "compilescope/allocator.h"
#include "compilescope/config.h"

namespace compilescope::cli {

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
    session.journal_outputs = journal_outputs(options.markdown, options.json, options.csv);
    std::string why_no_journal;
    session.journal = journal_path(session.journal_outputs, why_no_journal);
    if (session.journal.empty())
        err << "compilescope-cli: warning: no journal (" << why_no_journal
            << "): if this process is killed, the finished measurements are lost" << std::endl;
    if (report_existing_journal(session.journal, err))
        return exit_usage;
    return run_sweep_session(session, out, err);
}

} // namespace compilescope::cli
