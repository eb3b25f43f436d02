// compilescope-worker: runs one sweep for the desktop app. Reads a request (the configuration) and then, perhaps,
// "cancel" on stdin; writes the sweep's events, one JSON line each, on stdout (compilescope/sweep_stream.h).
// The end of stdin cancels too: an app that went away needs no more measurements.
#include "compilescope/allocator.h"
#include "compilescope/reports.h"
#include "compilescope/sweep.h"
#include "compilescope/sweep_stream.h"

#include <exception>
#include <iostream>
#include <mutex>
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

} // namespace

int main()
{
    // Before LibTorch allocates anything: keep freed memory so timed iterations do not page-fault (PLATFORM-NOTES).
    apply_allocator_policy(AllocatorPolicy::keep);

    std::string request;
    if (!std::getline(std::cin, request)) {
        emit_failure("compilescope-worker: no request on stdin");
        return 2;
    }
    SweepConfig config;
    try {
        const SweepEvent event = parse_stream_line(request);
        if (event.kind != SweepEvent::Kind::request)
            throw ReportFormatError("the first line is not a request");
        config = event.run.config;
    } catch (const std::exception& error) {
        emit_failure(std::string("compilescope-worker: unreadable request: ") + error.what());
        return 2;
    }

    CancelToken cancel;
    // Blocked in a read for most of its life: detached, and ended with the process.
    std::thread([&cancel] {
        std::string line;
        while (std::getline(std::cin, line) && line != cancel_request) {
        }
        cancel.cancel();
    }).detach();

    SweepCallbacks callbacks;
    callbacks.on_started = [](const RunResult& header) {
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
    callbacks.on_measurement = [](const Measurement& measurement) {
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
    try {
        SweepEvent finished;
        finished.kind = SweepEvent::Kind::finished;
        finished.run = run_sweep(config, callbacks, cancel);
        emit(finished);
    } catch (const std::exception& error) {
        emit_failure(error.what());
        return 1;
    }
    return 0;
}
