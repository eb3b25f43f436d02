#include "sweep_session.h"

#include "exit_code.h"
#include "progress_reporter.h"
#include "results_table.h"
#include "stop_signals.h"

#include "compilescope/child_process.h"
#include "compilescope/failpoints.h"
#include "compilescope/file_io.h"
#include "compilescope/results.h"
#include "compilescope/run_afresh.h"
#include "compilescope/sweep_plan.h"
#include "compilescope/sweep_stream.h"
#include "compilescope/text_format.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <unistd.h>

namespace compilescope::cli {

namespace {

/// How long a stopped worker may take to come back (LibTorch cannot stop inside an operator, and one iteration of a
/// large cell takes seconds) before it is killed and the reports are written from what finished.
constexpr std::chrono::milliseconds stop_grace { 1000 };
/// How often the supervisor looks at the stop signals while it waits for the worker's next line.
constexpr int poll_ms = 50;

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

/// What the workers reported so far, written to the journal as it comes: what a fresh worker continues from after a
/// crash, and the reports when a worker has to be killed.
class FinishedSoFar {
public:
    /// `before`: what finished before (a resume: the journal holds it already).
    FinishedSoFar(JournalWriter* journal, std::vector<Measurement> plan, const RunResult* before)
        : m_journal(journal)
        , m_plan(std::move(plan))
    {
        if (before) {
            m_run = *before;
            m_run.measurements = continued(before->measurements);
        }
    }

    bool started() const { return m_started; }

    /// The first worker's header (config, environment, start); a later worker's start changes nothing.
    void started(const RunResult& header)
    {
        if (m_started)
            return;
        m_started = true;
        if (m_journal)
            m_journal->started(header);
        std::vector<Measurement> before = std::move(m_run.measurements);
        m_run = header;
        m_run.measurements = std::move(before);
    }

    void finished(const Measurement& measurement)
    {
        if (m_journal)
            m_journal->measurement(measurement);
        m_run.measurements.push_back(measurement);
    }

    /// The run a fresh worker continues: everything that finished (a cancelled measurement did not).
    RunResult to_continue() const
    {
        RunResult run = m_run;
        run.measurements = continued(m_run.measurements);
        return run;
    }

    size_t count() const { return m_run.measurements.size(); }

    double elapsed_s() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

    /// The run as it stands, marked cancelled, with every planned measurement that did not finish, not started (as
    /// the sweep itself reports them); with `first_was_running`, the first of them says it was stopped while it ran.
    RunResult cancelled_copy(const std::string& why, bool first_was_running) const
    {
        RunResult run = to_continue();
        run.cancelled = true;
        bool running = first_was_running;
        for (const Measurement& planned : m_plan) {
            const bool finished = std::any_of(run.measurements.begin(), run.measurements.end(),
                [&](const Measurement& m) { return same_measurement(m, planned); });
            if (finished)
                continue;
            run.measurements.push_back(planned);
            if (running)
                run.measurements.back().message = "stopped while it ran: " + why;
            running = false;
        }
        run.wall_time_s = elapsed_s();
        return run;
    }

private:
    static std::vector<Measurement> continued(std::vector<Measurement> measurements)
    {
        measurements.erase(std::remove_if(measurements.begin(), measurements.end(),
                               [](const Measurement& m) { return m.status == MeasurementStatus::cancelled; }),
            measurements.end());
        return measurements;
    }

    JournalWriter* m_journal;
    std::vector<Measurement> m_plan;
    bool m_started = false;
    RunResult m_run;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

/// How one worker ended.
struct WorkerEnd {
    std::optional<RunResult> run; ///< it sent its finished run
    std::string failure; ///< it could not run the sweep (its "failed" event)
    std::optional<int> exit_status; ///< with a failure: 2 for a configuration it refused
    std::string died; ///< it died before finishing: how ("killed by signal 11 (Segmentation fault)")
    bool crashed = false; ///< it died of a crash (crash_signal), not killed from outside
    SweepProgress last; ///< its last progress: what it was running when it died
    bool killed = false; ///< a stop signal, and it did not come back within stop_grace: killed
};

/// A worker that said its last word exits by itself (then its exit status counts); one that does not within seconds
/// is stopped when `child` goes.
void wait_for_exit(ChildProcess& child)
{
    std::string line;
    while (child.read_line(line, 5000) == ChildProcess::ReadStatus::line) { }
}

/// Runs one compilescope-worker on `request` (the configuration, and what finished before) until it ends, feeding
/// the reporter and `so_far` as its events come, sending it a cancel when `cancel` is set and killing it when it
/// does not come back within stop_grace.
WorkerEnd run_worker(const RunResult& request_run, const std::string& allocator, FinishedSoFar& so_far,
    ProgressReporter& progress, const CancelToken& cancel, std::ostream& err)
{
    WorkerEnd end;
    const std::string worker = executable_directory() + "/compilescope-worker";
    ChildProcess child({ worker, "--allocator", allocator, "--hand-over" }, {});
    SweepEvent request;
    request.kind = SweepEvent::Kind::request;
    request.run = request_run;
    std::string line = stream_line(request);
    line.pop_back(); // write_line ends it
    child.write_line(line);

    std::optional<std::chrono::steady_clock::time_point> cancel_sent;
    while (true) {
        if (cancel.cancelled() && !cancel_sent) {
            child.write_line(cancel_request);
            cancel_sent = std::chrono::steady_clock::now();
        }
        if (cancel_sent && std::chrono::steady_clock::now() - *cancel_sent > stop_grace) {
            progress.finish();
            err << "\ncompilescope-cli: the current iteration is still running; writing what finished and stopping "
                   "the worker"
                << std::endl;
            child.stop(0);
            end.killed = true;
            return end;
        }
        const ChildProcess::ReadStatus status = child.read_line(line, poll_ms);
        if (status == ChildProcess::ReadStatus::timeout)
            continue;
        if (status == ChildProcess::ReadStatus::closed) {
            end.died = child.exit_description();
            end.exit_status = child.exit_status();
            end.crashed = child.exit_signal() && crash_signal(*child.exit_signal());
            return end;
        }
        SweepEvent event;
        try {
            event = parse_stream_line(line);
        } catch (const std::exception& error) {
            progress.on_log(std::string("warning: an unreadable line from the worker: ") + error.what());
            continue;
        }
        switch (event.kind) {
        case SweepEvent::Kind::started:
            so_far.started(event.run);
            break;
        case SweepEvent::Kind::progress:
            end.last = event.progress;
            progress.on_progress(event.progress);
            break;
        case SweepEvent::Kind::log:
            progress.on_log(event.text);
            break;
        case SweepEvent::Kind::measurement:
            so_far.finished(event.measurement);
            progress.on_measurement(event.measurement);
            break;
        case SweepEvent::Kind::finished:
            end.run = std::move(event.run);
            wait_for_exit(child);
            return end;
        case SweepEvent::Kind::failed:
            end.failure = event.text;
            wait_for_exit(child);
            end.exit_status = child.exit_status();
            return end;
        case SweepEvent::Kind::request:
            break;
        }
    }
}

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
    const std::string allocator = to_string(session.config.allocator);

    CancelToken cancel;
    RunResult run;
    // The watch stays up until the reports are written: a signal between the sweep's end and the last rename would
    // otherwise end the process with nothing written.
    StopSignals signals(cancel, style != ProgressStyle::quiet);
    if (journal && !session.quiet)
        err << "compilescope-cli: journal: " << journal->path() << std::endl;

    // The sweep runs in compilescope-worker processes: a crash there (a segfault in a loaded package, an abort in
    // LibTorch) costs the measurements it was running, recorded as failed, and a fresh worker goes on with the rest.
    RunResult request = so_far.to_continue();
    request.config = session.config;
    size_t finished_before_worker = 0;
    int workers = 0;
    bool worker_lost = false; // the sweep ended because a worker died: never a clean exit
    while (true) {
        ++workers;
        finished_before_worker = so_far.count();
        WorkerEnd end;
        try {
            end = run_worker(request, allocator, so_far, progress, cancel, err);
        } catch (const std::exception& error) {
            progress.finish();
            err << "compilescope-cli: error: cannot start the sweep worker: " << error.what() << std::endl;
            return exit_failed;
        }
        if (!end.failure.empty()) {
            progress.finish();
            if (end.exit_status == 2) {
                err << "compilescope-cli: error: " << end.failure << std::endl;
                return exit_usage;
            }
            err << "compilescope-cli: the sweep stopped on an unexpected error: " << end.failure << std::endl;
            return exit_failed;
        }
        if (end.killed) {
            run = so_far.cancelled_copy("the sweep was stopped by a signal", true);
            break;
        }
        if (end.run) {
            run = std::move(*end.run);
            // A worker whose device became unusable hands over (its run cancelled, though nobody stopped it): a fresh
            // worker gets a fresh device context and goes on, as long as each one gets further.
            if (cancel.cancelled() || !run.cancelled || so_far.count() == finished_before_worker)
                break;
            progress.on_log("the device is unusable in this worker; a fresh worker continues the sweep");
            request = so_far.to_continue();
            continue;
        }
        // What it was running failed; after a crash a fresh worker goes on, after a kill from outside (a user, the
        // out-of-memory killer) the sweep stops and the journal keeps what finished.
        const std::vector<Measurement> died = died_while_running(end.last, so_far.to_continue().measurements, end.died);
        for (const Measurement& measurement : died) {
            so_far.finished(measurement);
            progress.on_measurement(measurement);
        }
        if (!so_far.started() || died.empty() || !end.crashed || cancel.cancelled()) {
            progress.finish();
            err << "compilescope-cli: error: the sweep worker " << end.died
                << (!so_far.started()     ? " before the sweep started"
                           : died.empty() ? " between measurements"
                                          : "")
                << std::endl;
            if (!so_far.started())
                return exit_failed;
            run = so_far.cancelled_copy("the sweep worker " + end.died, false);
            worker_lost = true;
            break;
        }
        progress.on_log("the sweep worker " + end.died + "; " + std::to_string(died.size())
            + " measurement(s) recorded as failed, a fresh worker goes on with the rest");
        request = so_far.to_continue();
    }
    if (workers > 1) // the last worker's run counts from its own start
        run.wall_time_s = so_far.elapsed_s();
    const int signal_number = signals.sweep_ended();
    progress.finish();
    if (failpoints::hit("reports") == "stall") {
        err << "compilescope-cli: failpoint: the reports wait 2 s" << std::endl;
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    const int code = write_reports(session, run, signal_number, journal.get(), out, err);
    return worker_lost && code == exit_ok ? exit_failed : code;
}

} // namespace compilescope::cli
