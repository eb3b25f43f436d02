#include "signal_cancel.h"

#include <atomic>
#include <unistd.h>

namespace compilescope::cli {

namespace {

// A signal handler may only touch lock-free atomics and volatile sig_atomic_t, and call async-signal-safe functions.
static_assert(std::atomic<bool>::is_always_lock_free, "CancelToken must be lock-free to be set from a signal handler");

CancelToken* g_token = nullptr;
volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_announce = 0;

constexpr char announcement[] = "\ncompilescope-cli: stopping after the current iteration; finished measurements "
                                "will be written (press Ctrl-C again to quit at once)\n";

extern "C" void cancel_on_signal(int signal_number)
{
    g_signal = signal_number;
    if (g_token)
        g_token->cancel();
    if (g_announce) {
        const auto written = write(STDERR_FILENO, announcement, sizeof announcement - 1);
        static_cast<void>(written);
    }
}

} // namespace

SignalCancel::SignalCancel(CancelToken& token, bool announce)
{
    g_token = &token;
    g_signal = 0;
    g_announce = announce ? 1 : 0;
    struct sigaction action { };
    action.sa_handler = cancel_on_signal;
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND: the next signal of the same kind takes the default action, the way out of a stuck iteration.
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &action, &m_previous_interrupt);
    sigaction(SIGTERM, &action, &m_previous_terminate);
}

SignalCancel::~SignalCancel()
{
    sigaction(SIGINT, &m_previous_interrupt, nullptr);
    sigaction(SIGTERM, &m_previous_terminate, nullptr);
    g_token = nullptr;
}

int SignalCancel::received_signal() const
{
    return g_signal;
}

} // namespace compilescope::cli
