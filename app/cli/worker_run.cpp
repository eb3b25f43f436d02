#include "worker_run.h"

#include "stop_signals.h"

#include "compilescope/child_process.h"
#include "compilescope/run_afresh.h"
#include "compilescope/sweep_stream.h"

#include <chrono>
#include <exception>

namespace compilescope::cli {

namespace {

/// How long a stopped worker may take to come back (LibTorch cannot stop inside an operator, and one iteration of a
/// large cell takes seconds) before it is killed and the reports are written from what finished.
constexpr std::chrono::milliseconds stop_grace { 1000 };
/// How often the supervisor looks at the stop signals while it waits for the worker's next line.
constexpr int poll_ms = 50;

/// A worker that said its last word exits by itself (then its exit status counts); one that does not within seconds
/// is stopped when `child` goes.
void wait_for_exit(ChildProcess& child)
{
    std::string line;
    while (child.read_line(line, 5000) == ChildProcess::ReadStatus::line) { }
}

} // namespace

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
            const std::optional<int> signal = child.exit_signal();
            end.crashed = worker_crashed(signal);
            end.stop_signal = signal && is_stop_signal(*signal);
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

} // namespace compilescope::cli
