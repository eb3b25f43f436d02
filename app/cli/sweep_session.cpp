#include "sweep_session.h"

#include "exit_code.h"
#include "progress_reporter.h"
#include "results_table.h"
#include "stop_signals.h"

#include "compilescope/engine/sweep.h"
#include "compilescope/failpoints.h"
#include "compilescope/file_io.h"
#include "compilescope/results.h"
#include "compilescope/run_afresh.h"
#include "compilescope/text_format.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <unistd.h>

namespace compilescope::cli {

namespace {

/// How long a stopped sweep may take to come back before the signal thread writes the reports itself.
constexpr std::chrono::milliseconds stop_grace { 1000 };

std::string summary(const RunResult& run, const std::vector<std::string>& written)
{
    std::map<MeasurementStatus, int> counts;
    for (const auto& measurement : run.measurements)
        ++counts[measurement.status];
    std::string text = "compilescope-cli: " + std::to_string(run.measurements.size()) + " measurements in "
        + fixed(run.wall_time_s, 1) + " s: " + std::to_string(counts[MeasurementStatus::ok]) + " ok";
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

/// What finished so far, kept beside the sweep for the signal thread, and written to the journal as it comes.
class FinishedSoFar {
public:
    /// `resumed`: what the journal already holds (a resume reports it again; it is not appended twice).
    FinishedSoFar(JournalWriter* journal, std::vector<Measurement> plan, const RunResult* resumed)
        : m_journal(journal)
        , m_plan(std::move(plan))
        , m_resumed(resumed)
    {
    }

    void started(const RunResult& header)
    {
        if (m_journal)
            m_journal->started(header);
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_run = header;
        m_start = std::chrono::steady_clock::now();
    }

    void finished(const Measurement& measurement)
    {
        const bool journaled
            = m_resumed && find_measurement(*m_resumed, measurement.cell, measurement.phase, measurement.variant);
        if (m_journal && !journaled)
            m_journal->measurement(measurement);
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_run.measurements.push_back(measurement);
    }

    /// The run as it stands, marked cancelled, with every planned measurement that did not finish: the first one
    /// stopped while it ran, the rest not started (as the sweep itself reports them).
    RunResult cancelled_copy() const
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        RunResult run = m_run;
        run.cancelled = true;
        bool running = true;
        for (const Measurement& planned : m_plan) {
            const bool finished = std::any_of(m_run.measurements.begin(), m_run.measurements.end(),
                [&](const Measurement& m) { return same_measurement(m, planned); });
            if (finished)
                continue;
            run.measurements.push_back(planned);
            if (running)
                run.measurements.back().message = "stopped while it ran: the sweep was stopped by a signal";
            running = false;
        }
        run.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
        return run;
    }

private:
    JournalWriter* m_journal;
    std::vector<Measurement> m_plan;
    const RunResult* m_resumed;
    mutable std::mutex m_mutex;
    RunResult m_run;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

/// Writes the reports and the summary; returns the exit code.
int write_reports(const SweepSession& session, const RunResult& run, int signal_number, JournalWriter* journal,
    std::ostream& out, std::ostream& err)
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
        err << summary(run, written.written) << "\n";
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

/// Replaces this process by `compilescope-cli resume JOURNAL` (SweepCallbacks::on_device_unusable): a failure left
/// the device unusable here, and a fresh process starts with a fresh CUDA context. Returns only if exec failed.
void continue_in_fresh_process(const std::string& journal, bool quiet, std::ostream& out, std::ostream& err)
{
    std::vector<std::string> arguments { "compilescope-cli", "resume", journal };
    if (quiet)
        arguments.emplace_back("--quiet");
    out << std::flush;
    err << std::flush;
    run_afresh(arguments);
    err << "compilescope-cli: error: cannot start a fresh process (" << std::strerror(errno) << "); `compilescope-cli "
        << "resume " << journal << "` runs the rest" << std::endl;
}

} // namespace

int run_sweep_session(const SweepSession& session, std::ostream& out, std::ostream& err)
{
    std::unique_ptr<JournalWriter> journal;
    if (!session.journal.empty()) {
        try {
            journal
                = std::make_unique<JournalWriter>(session.journal, session.journal_outputs, session.resumed != nullptr);
        } catch (const FileError& error) {
            err << "compilescope-cli: error: " << error.what() << std::endl;
            return exit_usage;
        }
    }

    const auto style = progress_style_for(STDERR_FILENO, session.quiet);
    ProgressReporter progress(err, style, session.config, terminal_columns(STDERR_FILENO));
    FinishedSoFar so_far(journal.get(), plan_measurements(session.config), session.resumed);
    SweepCallbacks callbacks = progress.callbacks();
    callbacks.on_started = [&so_far](const RunResult& header) { so_far.started(header); };
    callbacks.on_measurement = [&so_far, report = callbacks.on_measurement](const Measurement& measurement) {
        so_far.finished(measurement);
        if (report)
            report(measurement);
    };

    // Whoever claims the reports writes them: this thread when the sweep comes back, or the signal thread when it
    // does not come back in time after a stop signal.
    std::atomic<bool> reports_claimed { false };
    const auto on_overdue = [&](int signal_number) {
        if (reports_claimed.exchange(true))
            return;
        err << "\ncompilescope-cli: the current iteration is still running; writing what finished and stopping"
            << std::endl;
        const int code = write_reports(session, so_far.cancelled_copy(), signal_number, journal.get(), out, err);
        out << std::flush;
        std::_Exit(code);
    };

    // A device this process can no longer use: the journal has every finished phase, and a fresh process resumes
    // it (reports on standard output would be split between the two processes, so those runs end as cancelled).
    bool hand_over = false;
    if (journal && !session.outputs.uses_stdout())
        callbacks.on_device_unusable = [&hand_over](const std::string&) { return hand_over = true; };

    CancelToken cancel;
    RunResult run;
    // The watch stays up until the reports are written: a signal between the sweep's end and the last rename would
    // otherwise end the process with nothing written.
    StopSignals signals(cancel, style != ProgressStyle::quiet, stop_grace, on_overdue);
    if (journal && !session.quiet)
        err << "compilescope-cli: journal: " << journal->path() << std::endl;
    try {
        run = session.resumed ? resume_sweep(*session.resumed, callbacks, cancel)
                              : run_sweep(session.config, callbacks, cancel);
    } catch (const std::invalid_argument& error) {
        progress.finish();
        err << "compilescope-cli: error: " << error.what() << std::endl;
        return exit_usage;
    } catch (const std::exception& error) {
        progress.finish();
        err << "compilescope-cli: the sweep stopped on an unexpected error: " << error.what() << std::endl;
        return exit_failed;
    }
    if (reports_claimed.exchange(true)) {
        // The signal thread is writing the reports and will end the process.
        while (true)
            ::pause();
    }
    const int signal_number = signals.sweep_ended();
    progress.finish();
    if (hand_over && !cancel.cancelled()) {
        const std::string path = journal->path();
        err << "compilescope-cli: the device is unusable in this process; continuing in a fresh one: "
            << "compilescope-cli resume " << path << std::endl;
        journal.reset(); // closed, so that its lock does not pass to the fresh process
        continue_in_fresh_process(path, session.quiet, out, err);
    }
    if (failpoints::hit("reports") == "stall") {
        err << "compilescope-cli: failpoint: the reports wait 2 s" << std::endl;
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    return write_reports(session, run, signal_number, journal.get(), out, err);
}

} // namespace compilescope::cli
