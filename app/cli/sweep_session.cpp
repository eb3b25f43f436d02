#include "sweep_session.h"

#include "estimate_line.h"
#include "exit_code.h"
#include "finished_so_far.h"
#include "progress_reporter.h"
#include "results_table.h"
#include "stop_signals.h"
#include "worker_run.h"

#include "compilescope/failpoints.h"
#include "compilescope/file_io.h"
#include "compilescope/python.h"
#include "compilescope/results.h"
#include "compilescope/sweep_plan.h"
#include "compilescope/sweep_stream.h"
#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <unistd.h>

namespace compilescope::cli {

namespace {

/// `estimated`: the estimate before the sweep ("about 9 min"), "" when there was none to compare with.
std::string summary(const RunResult& run, const std::vector<std::string>& written, const std::string& estimated)
{
    std::map<MeasurementStatus, int> counts;
    for (const auto& measurement : run.measurements)
        ++counts[measurement.status];
    std::string text = "compilescope-cli: " + std::to_string(run.measurements.size()) + " measurements in "
        + fixed(run.wall_time_s, 1) + " s" + (estimated.empty() ? "" : " (estimated " + estimated + ")") + ": "
        + std::to_string(counts[MeasurementStatus::ok]) + " ok";
    for (const auto& [status, count] : counts) {
        if (status != MeasurementStatus::ok)
            text += ", " + std::to_string(count) + " " + to_string(status);
    }
    const auto rerun = std::count_if(run.measurements.begin(), run.measurements.end(), was_rerun);
    const auto under_load = std::count_if(run.measurements.begin(), run.measurements.end(), taken_under_load);
    if (rerun > 0)
        text += "; " + std::to_string(rerun) + " re-run";
    if (under_load > 0)
        text += "; " + std::to_string(under_load) + " taken under load";
    if (run.cancelled)
        text += " (cancelled)";
    // A measurement without an interval makes every speedup it is a side of uncertain: the count says so at once.
    std::map<IntervalVerdict, int> withheld;
    for (const auto& measurement : run.measurements)
        ++withheld[interval_verdict(measurement)];
    for (IntervalVerdict verdict : { IntervalVerdict::too_few_samples, IntervalVerdict::time_slice_grid }) {
        if (withheld[verdict] > 0)
            text += "; " + std::to_string(withheld[verdict]) + " without an interval (" + no_interval_text(verdict)
                + ")";
    }
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

/// Writes the reports and the summary; returns the exit code.
int write_reports(const SweepSession& session, const RunResult& run, const std::string& estimated, int signal_number,
    JournalWriter* journal, std::ostream& out, std::ostream& err)
{
    auto written = session.outputs.write(run, out);
    if (!session.outputs.uses_stdout()) {
        out << results_table(run) << std::flush;
        if (!out)
            written.failures.emplace_back("cannot write the results table to standard output (disk full or closed?)");
    }
    for (const auto& failure : written.failures)
        err << "compilescope-cli: error: " << failure << "\n";
    if (!session.quiet)
        err << summary(run, written.written, estimated) << "\n";
    if (journal) {
        if (!run.cancelled && written.failures.empty()) {
            journal->remove();
        } else if (!journal->flush_pending()) {
            err << "compilescope-cli: warning: the journal " << journal->path() << " lacks the last "
                << journal->pending_lines() << " line(s) (" << journal->error()
                << "); the reports hold every finished measurement, a resume would run those again\n";
        } else {
            err << "compilescope-cli: the journal " << journal->path() << " keeps the finished measurements; "
                << "`compilescope-cli resume " << journal->path() << "` runs the rest and writes the reports\n";
        }
    }
    err << std::flush;
    // A signal that came after the sweep's last look at the token stopped nothing: the run is whole, not cancelled.
    if (signal_number > 0 && run.cancelled)
        return exit_signal_base + signal_number;
    return any_failed(run) || !written.failures.empty() ? exit_failed : exit_ok;
}

/// What the workers made of the sweep: the run to report, or an exit code when there is none.
struct WorkersOutcome {
    std::optional<RunResult> run;
    int exit_code = exit_ok; ///< without a run
    bool worker_lost = false; ///< the sweep ended because a worker died: never a clean exit
};

/// Runs the sweep in compilescope-worker processes, one after another: a crash there (a segfault in a loaded
/// package, an abort in LibTorch) costs the measurements it was running, recorded as failed, and a fresh worker goes
/// on with the rest; so does a worker whose device became unusable. A worker killed from outside (a user, the
/// out-of-memory killer) ends the sweep, its journal kept.
WorkersOutcome run_in_workers(const SweepSession& session, FinishedSoFar& so_far, ProgressReporter& progress,
    const CancelToken& cancel, std::ostream& err)
{
    const std::string allocator = to_string(session.config.allocator);
    RunResult request = so_far.to_continue();
    request.config = session.config;
    int workers = 0;
    while (true) {
        ++workers;
        const size_t finished_before = so_far.count();
        WorkerEnd end;
        try {
            end = run_worker(request, allocator, so_far, progress, cancel, err);
        } catch (const std::exception& error) {
            progress.finish();
            err << "compilescope-cli: error: cannot start the sweep worker: " << error.what() << std::endl;
            return { std::nullopt, exit_failed };
        }
        if (!end.failure.empty()) {
            progress.finish();
            if (end.exit_status == 2) {
                err << "compilescope-cli: error: " << end.failure << std::endl;
                return { std::nullopt, exit_usage };
            }
            err << "compilescope-cli: the sweep stopped on an unexpected error: " << end.failure << std::endl;
            return { std::nullopt, exit_failed };
        }
        if (end.killed)
            return { so_far.cancelled_copy("the sweep was stopped by a signal", true) };
        if (end.run) {
            RunResult run = so_far.whole(*end.run);
            // A worker whose device became unusable hands over (its run cancelled, though nobody stopped it): a fresh
            // worker gets a fresh device context and goes on, as long as each one gets further.
            if (cancel.cancelled() || !run.cancelled || so_far.count() == finished_before) {
                if (workers > 1) // the last worker's run counts from its own start
                    run.wall_time_s = so_far.elapsed_s();
                return { std::move(run) };
            }
            progress.on_log("the device is unusable in this worker; a fresh worker continues the sweep");
            request = so_far.to_continue();
            continue;
        }
        // A crash costs what the worker was running, failed, and a fresh worker goes on. A stop signal that reached
        // the worker too (a job scheduler's SIGTERM goes to every process) is a stop: nothing failed. A kill from
        // outside (SIGKILL: a user, the out-of-memory killer) fails what it was running and ends the sweep, the
        // journal kept for a resume.
        const std::vector<Measurement> died
            = died_while_running(end.last, so_far.measurements(), so_far.plan(), end.died);
        const bool stopped = cancel.cancelled() || end.stop_signal;
        if (!stopped) {
            for (const Measurement& measurement : died) {
                so_far.finished(measurement);
                progress.on_measurement(measurement);
            }
        }
        if (end.crashed && !stopped && so_far.started() && !died.empty()) {
            progress.on_log("the sweep worker " + end.died + "; " + std::to_string(died.size())
                + " measurement(s) recorded as failed, a fresh worker goes on with the rest");
            request = so_far.to_continue();
            continue;
        }
        progress.finish();
        if (!cancel.cancelled())
            err << "compilescope-cli: error: the sweep worker " << end.died
                << (!so_far.started()     ? " before the sweep started"
                           : died.empty() ? " between measurements"
                                          : "")
                << std::endl;
        if (!so_far.started())
            return { std::nullopt, exit_failed };
        const std::string why = stopped ? "the sweep was stopped by a signal" : "the sweep worker " + end.died;
        return { so_far.cancelled_copy(why, stopped && !died.empty()), exit_ok, !cancel.cancelled() };
    }
}

} // namespace

void announce_effects(const SweepSession& session, std::ostream& err)
{
    const auto& variants = session.config.variants;
    if (std::any_of(variants.begin(), variants.end(),
            [](const std::string& name) { return is_python_variant(name) || is_aot_inductor_variant(name); }))
        err << "compilescope-cli: it starts " << resolve_python(session.config.python)
            << " (the Python variants and the AOTInductor exports)\n";
    err << "compilescope-cli: it writes";
    for (const OutputFile& file : session.outputs.files())
        err << " " << format_name(file.type) << " " << (file.path == "-" ? "to standard output" : file.path) << ",";
    if (session.journal.empty())
        err << " no journal" << std::endl;
    else
        err << " the journal " << session.journal << std::endl;
}

int run_sweep_session(const SweepSession& session, std::ostream& out, std::ostream& err)
{
    std::unique_ptr<JournalWriter> journal;
    if (!session.journal.empty()) {
        try {
            // A resume appends to its journal; a re-run, like a run, starts one.
            const bool append = session.resumed != nullptr && session.rerun == nullptr;
            journal = std::make_unique<JournalWriter>(session.journal, session.journal_outputs, append);
        } catch (const FileError& error) {
            err << "compilescope-cli: error: " << error.what() << std::endl;
            return exit_usage;
        }
    }

    const auto style = progress_style_for(STDERR_FILENO, session.quiet);
    ProgressReporter progress(err, style, session.config, terminal_columns(STDERR_FILENO));
    FinishedSoFar so_far(journal.get(), session.config, session.resumed, session.rerun);
    CancelToken cancel;
    // The watch stays up until the reports are written: a signal between the sweep's end and the last rename would
    // otherwise end the process with nothing written.
    StopSignals signals(cancel, style != ProgressStyle::quiet);
    if (journal && !session.quiet)
        err << "compilescope-cli: journal: " << journal->path() << std::endl;
    std::string estimated;
    if (!session.quiet) {
        const RunEstimate estimate = estimate_sweep_here(session.config);
        err << estimate_line(estimate, session.resumed) << std::endl;
        if (!session.resumed && estimate.seconds > 0)
            estimated = estimate_duration_text(estimate);
    }

    WorkersOutcome outcome = run_in_workers(session, so_far, progress, cancel, err);
    if (!outcome.run)
        return outcome.exit_code;
    if (session.rerun)
        outcome.run = session.rerun->merged(*outcome.run);
    const int signal_number = signals.sweep_ended();
    progress.finish();
    if (failpoints::hit("reports") == "stall") {
        err << "compilescope-cli: failpoint: the reports wait 2 s" << std::endl;
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    const int code = write_reports(session, *outcome.run, estimated, signal_number, journal.get(), out, err);
    return outcome.worker_lost && code == exit_ok ? exit_failed : code;
}

} // namespace compilescope::cli
