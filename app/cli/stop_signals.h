// Stopping a sweep from outside: Ctrl-C, `timeout`'s SIGTERM, a closed ssh session's SIGHUP. Each stops the sweep
// after the current iteration and keeps what finished; no repeated signal can cost the results. A dedicated thread
// takes the signals (they are blocked everywhere else), so that the response is ordinary code, not a handler.
#pragma once

#include "compilescope/sweep_events.h"

namespace compilescope::cli {

/// First thing in main(), before any thread exists (threads inherit the signal mask): blocks SIGINT, SIGTERM and
/// SIGHUP in every thread, ignores SIGPIPE (writing to a closed pipe then fails visibly instead of killing us),
/// and starts the thread that takes the three. While no StopSignals is alive, such a signal ends the process
/// exactly as it would have without this.
void start_stop_signal_thread();

/// Whether `signal` is one of the three that stop a sweep (SIGINT, SIGTERM, SIGHUP).
bool is_stop_signal(int signal);

/// While alive, SIGINT, SIGTERM and SIGHUP cancel `token` (after the first, a line on standard error when
/// `announce`; later ones only say that the sweep is stopping). Nothing else happens on the signal thread: the
/// sweep's supervisor (sweep_session.cpp) sees the token, stops the worker and writes the reports itself.
/// One instance at a time. Without start_stop_signal_thread() (in-process tests) it does nothing.
class StopSignals {
public:
    StopSignals(CancelToken& token, bool announce);
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    /// The first signal that stopped the sweep, or 0.
    int received_signal() const;

    /// The sweep has come back; returns received_signal(). A signal after this stops nothing and ends nothing (the
    /// reports are being written, which takes moments): it only says so, when `announce`; and after this instance is
    /// gone, while the process winds down, it is ignored.
    int sweep_ended();
};

} // namespace compilescope::cli
