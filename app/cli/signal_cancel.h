// Ctrl-C during a sweep: stop after the current iteration and keep what finished, instead of dying.
#pragma once

#include "compilescope/sweep.h"

#include <csignal>

namespace compilescope::cli {

/// While alive, SIGINT and SIGTERM cancel `token` instead of ending the process. Each handler fires once: a second
/// Ctrl-C gets the default action and ends the process at once (without writing outputs). One instance at a time.
class SignalCancel {
public:
    /// `announce`: the handler writes one line to standard error saying that the sweep is stopping.
    SignalCancel(CancelToken& token, bool announce);
    ~SignalCancel();

    SignalCancel(const SignalCancel&) = delete;
    SignalCancel& operator=(const SignalCancel&) = delete;

    /// The signal that cancelled the sweep, or 0.
    int received_signal() const;

private:
    struct sigaction m_previous_interrupt { };
    struct sigaction m_previous_terminate { };
};

} // namespace compilescope::cli
