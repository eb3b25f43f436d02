#include "stop_signals.h"

#include <condition_variable>
#include <csignal>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace compilescope::cli {

namespace {

constexpr int handled_signals[] = { SIGINT, SIGTERM, SIGHUP };

struct Watch {
    std::mutex mutex;
    bool thread_started = false;
    CancelToken* token = nullptr; ///< a StopSignals is alive
    bool announce = false;
    std::chrono::milliseconds grace { 0 };
    std::function<void(int)> on_overdue;
    int signal_number = 0;
    bool sweep_ended = false;
};

Watch& watch()
{
    static Watch instance;
    return instance;
}

sigset_t handled_set()
{
    sigset_t set;
    sigemptyset(&set);
    for (int signal_number : handled_signals)
        sigaddset(&set, signal_number);
    return set;
}

void say(const char* text)
{
    // The main thread may be drawing progress on stderr; one write() keeps this line in one piece.
    const ssize_t written = ::write(STDERR_FILENO, text, std::char_traits<char>::length(text));
    static_cast<void>(written);
}

/// No sweep to stop: the signal does what it would have done without us.
[[noreturn]] void end_process(int signal_number)
{
    std::signal(signal_number, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal_number);
    pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
    std::raise(signal_number);
    std::_Exit(128 + signal_number);
}

void take_signals()
{
    const sigset_t set = handled_set();
    Watch& state = watch();
    std::chrono::steady_clock::time_point overdue_at {};
    bool stopping = false;
    while (true) {
        int signal_number = 0;
        if (!stopping) {
            if (sigwait(&set, &signal_number) != 0)
                continue;
        } else {
            const auto left = overdue_at - std::chrono::steady_clock::now();
            const auto nanoseconds
                = std::max<long long>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(left).count());
            const timespec timeout { static_cast<time_t>(nanoseconds / 1000000000), nanoseconds % 1000000000 };
            signal_number = sigtimedwait(&set, nullptr, &timeout);
            if (signal_number < 0) {
                // The grace has passed (or a spurious wake-up: then it has not, and we wait again).
                if (std::chrono::steady_clock::now() < overdue_at)
                    continue;
                std::function<void(int)> on_overdue;
                int first = 0;
                {
                    const std::lock_guard<std::mutex> lock(state.mutex);
                    if (state.token) {
                        on_overdue = state.on_overdue;
                        first = state.signal_number;
                    }
                }
                stopping = false;
                if (on_overdue)
                    on_overdue(first);
                continue;
            }
        }
        const std::lock_guard<std::mutex> lock(state.mutex);
        // Once a sweep has ended its reports are whole: a signal while the process winds down changes nothing (it
        // made a whole run exit 143).
        if (!state.token && !state.sweep_ended)
            end_process(signal_number);
        if (!state.token)
            continue;
        if (state.sweep_ended) {
            if (state.announce)
                say("\ncompilescope-cli: the sweep has ended; writing the reports\n");
        } else if (state.signal_number == 0) {
            state.signal_number = signal_number;
            state.token->cancel();
            stopping = true;
            overdue_at = std::chrono::steady_clock::now() + state.grace;
            if (state.announce)
                say("\ncompilescope-cli: stopping after the current iteration; finished measurements will be "
                    "written\n");
        } else if (state.announce) {
            say("\ncompilescope-cli: already stopping; finished measurements are being written\n");
        }
    }
}

} // namespace

void start_stop_signal_thread()
{
    Watch& state = watch();
    const std::lock_guard<std::mutex> lock(state.mutex);
    if (state.thread_started)
        return;
    std::signal(SIGPIPE, SIG_IGN);
    const sigset_t set = handled_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread(take_signals).detach();
    state.thread_started = true;
}

StopSignals::StopSignals(CancelToken& token, bool announce, std::chrono::milliseconds grace,
    std::function<void(int signal_number)> on_overdue)
{
    Watch& state = watch();
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.token = &token;
    state.announce = announce;
    state.grace = grace;
    state.on_overdue = std::move(on_overdue);
    state.signal_number = 0;
    state.sweep_ended = false;
}

StopSignals::~StopSignals()
{
    Watch& state = watch();
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.token = nullptr;
    state.on_overdue = nullptr;
}

int StopSignals::received_signal() const
{
    Watch& state = watch();
    const std::lock_guard<std::mutex> lock(state.mutex);
    return state.signal_number;
}

int StopSignals::sweep_ended()
{
    Watch& state = watch();
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.sweep_ended = true;
    return state.signal_number;
}

} // namespace compilescope::cli
