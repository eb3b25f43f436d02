#include "export_aoti_command.h"

#include "exit_code.h"
#include "stop_signals.h"
#include "usage_error.h"

#include "compilescope/engine/sweep.h"
#include "compilescope/text_format.h"
#include "compilescope/validation.h"

#include <algorithm>

namespace compilescope::cli {

int export_aoti_command(const RunOptions& options, std::ostream& out, std::ostream& err)
{
    const auto parsed = build_sweep_config(options);
    if (!parsed.errors.empty())
        return report_usage_errors(parsed.errors, "export-aoti", err);
    const auto errors = validate_config(parsed.config);
    if (!errors.empty())
        return report_usage_errors(with_flags(errors, parsed.config), "export-aoti", err);

    SweepCallbacks callbacks;
    if (!options.quiet)
        callbacks.on_log = [&err](const std::string& line) { err << "  " << line << std::endl; };
    CancelToken cancel;
    std::vector<AotiPackageOutcome> outcomes;
    int signal_number = 0;
    {
        // An export ends its Python child on cancel; nothing to write in its place, so no early exit.
        const StopSignals signals(cancel, !options.quiet);
        try {
            outcomes = export_aoti_packages(parsed.config, callbacks, cancel);
        } catch (const std::exception& error) {
            err << "compilescope-cli: error: " << error.what() << std::endl;
            return exit_failed;
        }
        signal_number = signals.received_signal();
    }
    for (const AotiPackageOutcome& outcome : outcomes) {
        out << outcome.package << ": "
            << (outcome.cached                                   ? "in the cache"
                       : outcome.status == MeasurementStatus::ok ? "exported in " + fixed(outcome.seconds, 1) + " s"
                                                                 : to_string(outcome.status))
            << (outcome.message.empty() ? "" : " (" + outcome.message + ")") << "\n    " << outcome.directory << "\n";
    }
    out << std::flush;
    if (signal_number > 0)
        return exit_signal_base + signal_number;
    const bool failed = std::any_of(outcomes.begin(), outcomes.end(),
        [](const AotiPackageOutcome& outcome) { return outcome.status == MeasurementStatus::failed; });
    return failed ? exit_failed : exit_ok;
}

} // namespace compilescope::cli
