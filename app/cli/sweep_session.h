// One sweep run from the command line, for `run`, `resume` and `rerun`: the sweep runs in compilescope-worker processes
// (as in the desktop app) and this process supervises them: progress on stderr, stop signals (a cancel to the worker,
// which is killed when it has not come back a second later), the journal that survives a kill, a fresh worker after
// one crashed (what it was running recorded as failed), and the reports written at the end from what finished.
#pragma once

#include "output_files.h"

#include "compilescope/config.h"
#include "compilescope/journal.h"
#include "compilescope/rerun.h"
#include "compilescope/results.h"

#include <ostream>
#include <string>

namespace compilescope::cli {

struct SweepSession {
    SweepConfig config; ///< validated
    /// `resume`: what finished before (config equal to `config`); `rerun`: the re-run's request
    const RunResult* resumed = nullptr;
    OutputFiles outputs; ///< checked
    std::string journal; ///< the journal's path; "" for none
    JournalOutputs journal_outputs; ///< what the journal records for a later `resume`
    bool quiet = false;
    /// `rerun`: what is measured again; the reports hold the run it merges (RerunPlan::merged)
    const RerunPlan* rerun = nullptr;
};

/// Says on `err`, before a sweep that a file decides (`resume`, `rerun`) starts, the programs it will start (the
/// Python of the Python variants and the exports) and every file it will write.
void announce_effects(const SweepSession& session, std::ostream& err);

/// Runs the sweep and writes its reports; returns the process exit code (exit_code.h).
int run_sweep_session(const SweepSession& session, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
