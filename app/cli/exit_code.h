// What `compilescope-cli` returns to the shell.
#pragma once

namespace compilescope::cli {

enum ExitCode : int {
    /// Every measurement that was attempted is ok (skipped and unavailable ones are not failures).
    exit_ok = 0,
    /// At least one measurement failed (the rest are still reported), or a report could not be written after the run.
    exit_failed = 1,
    /// Invalid usage or input; nothing ran and nothing was written.
    exit_usage = 2,
    /// A sweep stopped by a signal returns 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM), as shells do.
    exit_signal_base = 128,
};

} // namespace compilescope::cli
