#include "run_command.h"

#include "exit_code.h"
#include "output_files.h"
#include "progress_reporter.h"
#include "results_table.h"
#include "signal_cancel.h"
#include "usage_error.h"

#include "compilescope/allocator.h"
#include "compilescope/sweep.h"

#include <cstdio>
#include <map>
#include <stdexcept>
#include <unistd.h>

namespace compilescope::cli {

namespace {

std::string summary(const RunResult& run, const std::vector<std::string>& written)
{
    std::map<MeasurementStatus, int> counts;
    for (const auto& measurement : run.measurements)
        ++counts[measurement.status];
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f", run.wall_time_s);
    std::string text = "compilescope-cli: " + std::to_string(run.measurements.size()) + " measurements in " + seconds
        + " s: " + std::to_string(counts[MeasurementStatus::ok]) + " ok";
    for (const auto& [status, count] : counts) {
        if (status != MeasurementStatus::ok)
            text += ", " + std::to_string(count) + " " + to_string(status);
    }
    if (run.cancelled)
        text += " (cancelled)";
    for (size_t i = 0; i < written.size(); ++i)
        text += (i == 0 ? "; wrote " : ", ") + written[i];
    return text;
}

bool any_failed(const RunResult& run)
{
    for (const auto& measurement : run.measurements) {
        if (measurement.status == MeasurementStatus::failed)
            return true;
    }
    return false;
}

} // namespace

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err)
{
    const auto parsed = build_sweep_config(options);
    if (!parsed.errors.empty())
        return report_usage_errors(parsed.errors, "run", err);
    const SweepConfig& config = parsed.config;

    // Before validation: it may initialise LibTorch, whose first allocations should already follow the policy.
    apply_allocator_policy(config.allocator);

    const auto errors = validate_config(config);
    if (!errors.empty())
        return report_usage_errors(with_flags(errors, config), "run", err);

    const OutputFiles outputs(options.markdown, options.json, options.csv);
    if (outputs.report_problems(err))
        return exit_usage;

    const auto style = progress_style_for(STDERR_FILENO, options.quiet);
    ProgressReporter progress(err, style, config, terminal_columns(STDERR_FILENO));
    CancelToken cancel;
    RunResult run;
    int signal_number = 0;
    {
        const SignalCancel signals(cancel, style != ProgressStyle::quiet);
        try {
            run = run_sweep(config, progress.callbacks(), cancel);
        } catch (const std::invalid_argument& error) {
            progress.finish();
            err << "compilescope-cli: error: " << error.what() << std::endl;
            return exit_usage;
        } catch (const std::exception& error) {
            progress.finish();
            err << "compilescope-cli: the sweep stopped on an unexpected error: " << error.what() << std::endl;
            return exit_failed;
        }
        signal_number = signals.received_signal();
    }
    progress.finish();

    const auto written = outputs.write(run, out);
    for (const auto& failure : written.failures)
        err << "compilescope-cli: error: " << failure << "\n";
    if (!outputs.uses_stdout())
        out << results_table(run) << std::flush;
    if (!options.quiet)
        err << summary(run, written.written) << "\n";
    err << std::flush;

    if (signal_number > 0)
        return exit_signal_base + signal_number;
    return any_failed(run) || !written.failures.empty() ? exit_failed : exit_ok;
}

} // namespace compilescope::cli
