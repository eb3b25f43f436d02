#include "stop_signals.h"

#include <algorithm>
#include <csignal>
#include <iterator>
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
    while (true) {
        int signal_number = 0;
        if (sigwait(&set, &signal_number) != 0)
            continue;
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

bool is_stop_signal(int signal)
{
    return std::find(std::begin(handled_signals), std::end(handled_signals), signal) != std::end(handled_signals);
}

StopSignals::StopSignals(CancelToken& token, bool announce)
{
    Watch& state = watch();
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.token = &token;
    state.announce = announce;
    state.signal_number = 0;
    state.sweep_ended = false;
}

StopSignals::~StopSignals()
{
    Watch& state = watch();
    const std::lock_guard<std::mutex> lock(state.mutex);
    state.token = nullptr;
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
