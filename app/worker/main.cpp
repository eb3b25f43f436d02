// compilescope-worker: runs one sweep for the desktop app and the CLI. Reads a request (the configuration, and the
// measurements that finished before when it continues a run) and then, perhaps, "cancel" on stdin; writes the
// sweep's events, one JSON line each, on stdout (compilescope/sweep_stream.h). The end of stdin cancels too: a front
// end that went away needs no more measurements.
// With `--journal PATH` every finished measurement is also appended to that journal (compilescope/journal.h), so
// that a sweep whose worker or app was killed can be resumed; `--resume` continues the journal's sweep instead of
// the request's. When a failure leaves the device unusable in this process, the worker replaces itself by
// `compilescope-worker --journal PATH --continue`: a fresh process that reads no request, resumes the journal and
// streams only what it measures, so the app sees one sweep.
#include "compilescope/allocator.h"
#include "compilescope/engine/sweep.h"
#include "compilescope/journal.h"
#include "compilescope/reports.h"
#include "compilescope/results.h"
#include "compilescope/run_afresh.h"
#include "compilescope/sweep_stream.h"

#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

using namespace compilescope;

namespace {

std::mutex output_mutex;

void emit(const SweepEvent& event)
{
    const std::lock_guard<std::mutex> lock(output_mutex);
    std::cout << stream_line(event) << std::flush;
}

void emit_failure(const std::string& error)
{
    SweepEvent event;
    event.kind = SweepEvent::Kind::failed;
    event.text = error;
    emit(event);
}

struct Arguments {
    std::string journal;
    bool resume = false;
    bool continuing = false; ///< --continue: this process replaced one whose device became unusable
    AllocatorPolicy allocator = AllocatorPolicy::keep; ///< --allocator: set before LibTorch allocates anything
    /// --hand-over: a device this process can no longer use ends the sweep at once (its run cancelled, the rest not
    /// reported), and the front end (compilescope-cli) starts a fresh worker on what finished.
    bool hand_over = false;
};

std::optional<Arguments> read_arguments(int argc, char** argv)
{
    Arguments arguments;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "--journal" && i + 1 < argc)
            arguments.journal = argv[++i];
        else if (argument == "--resume")
            arguments.resume = true;
        else if (argument == "--continue")
            arguments.resume = arguments.continuing = true;
        else if (argument == "--hand-over")
            arguments.hand_over = true;
        else if (argument == "--allocator" && i + 1 < argc && parse_allocator_policy(argv[i + 1]))
            arguments.allocator = *parse_allocator_policy(argv[++i]);
        else
            return std::nullopt;
    }
    if (arguments.resume && arguments.journal.empty())
        return std::nullopt;
    return arguments;
}

} // namespace

int main(int argc, char** argv)
{
    const std::optional<Arguments> arguments = read_arguments(argc, argv);
    if (!arguments) {
        emit_failure("usage: compilescope-worker [--allocator POLICY] [--hand-over] [--journal PATH [--resume | "
                     "--continue]] (run by "
                     "the desktop app and compilescope-cli)");
        return 2;
    }
    // Before LibTorch allocates anything; keep (the default) keeps freed memory so that timed iterations do not
    // page-fault (PLATFORM-NOTES).
    apply_allocator_policy(arguments->allocator);

    SweepConfig config;
    std::optional<RunResult> requested_before; // a request that continues a run: what finished before
    if (!arguments->continuing) { // a continuing worker takes the configuration from the journal
        std::string request;
        if (!std::getline(std::cin, request)) {
            emit_failure("compilescope-worker: no request on stdin");
            return 2;
        }
        try {
            const SweepEvent event = parse_stream_line(request);
            if (event.kind != SweepEvent::Kind::request)
                throw RunFileError("the first line is not a request");
            config = event.run.config;
            if (!event.run.measurements.empty())
                requested_before = event.run;
        } catch (const std::exception& error) {
            emit_failure(std::string("compilescope-worker: unreadable request: ") + error.what());
            return 2;
        }
    }

    std::unique_ptr<JournalWriter> journal;
    std::optional<RunResult> resumed = std::move(requested_before);
    try {
        if (arguments->resume) {
            resumed = read_journal(arguments->journal).run;
            config = resumed->config;
        }
        if (!arguments->journal.empty())
            journal = std::make_unique<JournalWriter>(arguments->journal, JournalOutputs {}, arguments->resume);
    } catch (const std::exception& error) {
        emit_failure(std::string("compilescope-worker: ") + error.what());
        return 2;
    }

    CancelToken cancel;
    // Blocked in a read for most of its life: detached, and ended with the process.
    std::thread([&cancel] {
        std::string line;
        while (std::getline(std::cin, line) && line != cancel_request) { }
        cancel.cancel();
    }).detach();

    // A resumed sweep reports what finished before again: the journal has it already, and the front end of a
    // continuing worker, or of a request that carried it, has it too (and, when continuing, the start).
    const bool continuing = arguments->continuing;
    const bool silent_before = continuing || (resumed && !arguments->resume);
    auto finished_before = [&resumed](const Measurement& measurement) {
        return resumed
            && find_measurement(*resumed, measurement.cell, measurement.phase, measurement.variant) != nullptr;
    };

    SweepCallbacks callbacks;
    const bool continues_request = resumed && !arguments->resume && !continuing;
    callbacks.on_started = [&journal, &resumed, continuing, continues_request](const RunResult& header) {
        if (journal) {
            journal->started(header);
            // A request that continues a run (the app's re-run) starts a fresh journal: what it carries goes in
            // first, so that a worker that continues after a crash, or a later resume, has the whole run.
            if (continues_request) {
                for (const Measurement& measurement : resumed->measurements)
                    journal->measurement(measurement);
            }
        }
        if (continuing)
            return;
        SweepEvent event;
        event.kind = SweepEvent::Kind::started;
        event.run = header;
        emit(event);
    };
    callbacks.on_progress = [](const SweepProgress& progress) {
        SweepEvent event;
        event.kind = SweepEvent::Kind::progress;
        event.progress = progress;
        emit(event);
    };
    callbacks.on_measurement = [&journal, &finished_before, silent_before](const Measurement& measurement) {
        const bool before = finished_before(measurement);
        if (before && silent_before)
            return;
        if (journal && !before)
            journal->measurement(measurement);
        SweepEvent event;
        event.kind = SweepEvent::Kind::measurement;
        event.measurement = measurement;
        emit(event);
    };
    callbacks.on_log = [](const std::string& line) {
        SweepEvent event;
        event.kind = SweepEvent::Kind::log;
        event.text = line;
        emit(event);
    };
    bool hand_over = false;
    if (journal || arguments->hand_over)
        callbacks.on_device_unusable = [&hand_over](const std::string&) { return hand_over = true; };
    try {
        SweepEvent finished;
        finished.kind = SweepEvent::Kind::finished;
        finished.run = resumed ? resume_sweep(*resumed, callbacks, cancel) : run_sweep(config, callbacks, cancel);
        if (journal && !journal->error().empty())
            callbacks.on_log("warning: " + journal->error());
        if (hand_over && !cancel.cancelled() && journal) {
            callbacks.on_log("the device is unusable in this worker; a fresh worker continues the sweep");
            journal.reset(); // closed, so that its lock does not pass to the fresh process
            std::cout << std::flush;
            run_afresh({ "compilescope-worker", "--journal", arguments->journal, "--continue" });
            callbacks.on_log("error: cannot start a fresh worker; the journal keeps what finished");
        }
        if (arguments->hand_over) // its front end has every measurement already (sweep_stream.h)
            finished.run.measurements.clear();
        emit(finished);
    } catch (const std::invalid_argument& error) { // the configuration (a trace folder that takes no files)
        emit_failure(error.what());
        return 2;
    } catch (const std::exception& error) {
        emit_failure(error.what());
        return 1;
    }
    return 0;
}
