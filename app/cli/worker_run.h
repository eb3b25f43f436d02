// One compilescope-worker process running (part of) the CLI's sweep: the request in, its events out to the progress
// reporter and the record of what finished, a cancel when a stop signal came, and how it ended.
#pragma once

#include "finished_so_far.h"
#include "progress_reporter.h"

#include "compilescope/results.h"
#include "compilescope/sweep_events.h"

#include <optional>
#include <ostream>
#include <string>

namespace compilescope::cli {

/// How one worker ended.
struct WorkerEnd {
    std::optional<RunResult> run; ///< it sent its finished run
    std::string failure; ///< it could not run the sweep (its "failed" event)
    std::optional<int> exit_status; ///< with a failure: 2 for a configuration it refused
    std::string died; ///< it died before finishing: how ("killed by signal 11 (Segmentation fault)")
    bool crashed = false; ///< it died of a crash (crash_signal) or exited without its last word; not killed
    bool stop_signal = false; ///< it died of SIGINT, SIGTERM or SIGHUP: a stop meant for the whole job
    SweepProgress last; ///< its last progress: what it was running when it died
    bool killed = false; ///< a stop signal, and it did not come back within stop_grace: killed
};

/// Runs one compilescope-worker on `request` (the configuration, and what finished before) until it ends, feeding
/// the reporter and `so_far` as its events come, sending it a cancel when `cancel` is set and killing it when it
/// does not come back within stop_grace.
WorkerEnd run_worker(const RunResult& request_run, const std::string& allocator, FinishedSoFar& so_far,
    ProgressReporter& progress, const CancelToken& cancel, std::ostream& err);

} // namespace compilescope::cli
