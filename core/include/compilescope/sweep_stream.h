// The sweep worker's protocol. The desktop app runs each sweep in a `compilescope-worker` process, so that a
// cancel or a close can end it within a second (LibTorch cannot stop inside an operator) and the sweep never
// shares a process with the user interface. The app writes the sweep's configuration as a `request` event line on the
// worker's stdin, later perhaps `cancel_request`; the worker answers with one event line for each step of the sweep on
// its stdout. A request that carries measurements continues that run (a resume): they are not sent back, and a
// failed one is not measured again (an ok one is, when others of its cell and phase still have to be timed with it).
// compilescope-cli runs its workers with --hand-over, and their finished event then carries no measurements: it has
// them all from the measurement events, and one line with every sample of a large run would pass the protocol's
// line limit.
#pragma once

#include "compilescope/results.h"
#include "compilescope/sweep_events.h"

#include <optional>
#include <string>
#include <vector>

namespace compilescope {

/// What the worker reads on stdin after the configuration: cancel, keeping what finished.
inline constexpr const char* cancel_request = "cancel";

struct SweepEvent {
    enum class Kind { request, started, progress, log, measurement, finished, failed };
    Kind kind = Kind::log;
    /// request (app to worker): run.config is the sweep to run. started: config, environment and start time, no
    /// measurements. finished: the whole run.
    RunResult run;
    SweepProgress progress;
    Measurement measurement;
    std::string text; ///< log: the line; failed: why the sweep could not run
};

/// One line of compact JSON ending in '\n'.
std::string stream_line(const SweepEvent& event);

/// The event of a line (its '\n' optional); RunFileError names what is wrong.
SweepEvent parse_stream_line(const std::string& line);

/// What a worker that died was measuring, from its last progress event: each measurement in flight and not among
/// `finished` (what it reported), as `plan` has it (plan_measurements: its FLOPs, bytes and memory estimate) when
/// there, failed with how the worker ended (`how`: "killed by signal 11 (Segmentation fault)"). A front end records
/// them, in its journal too, and a fresh worker goes on with the rest; a resumed sweep does not run a failed
/// measurement again (compilescope/engine/sweep.h), so the crash costs these and no more. Empty when nothing was in
/// flight.
std::vector<Measurement> died_while_running(const SweepProgress& last, const std::vector<Measurement>& finished,
    const std::vector<Measurement>& plan, const std::string& how);

/// Whether `signal` is a crash (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS).
bool crash_signal(int signal);

/// Whether a worker that ended before its last word (finished or failed) crashed: by a crash signal, or by an exit
/// (`signal` nullopt: a sanitizer's report, exit() in a library). Then the sweep goes on without what it was
/// running. A worker killed from outside (SIGKILL, SIGTERM: a user, the out-of-memory killer) stops the sweep
/// instead, its journal keeping what finished.
bool worker_crashed(std::optional<int> signal);

} // namespace compilescope
