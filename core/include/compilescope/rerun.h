// Measuring again what a run measured badly: the measurements taken under load (taken_under_load) and, when asked,
// the failed ones. The variants of a cell and phase are timed in turns, and a ratio compares iterations of one span of
// time (docs/statistics.md, "Interleaving"), so a re-run measures whole (cell, phase) groups: every variant of each
// chosen group. It is a continuation of the run (compilescope/sweep_stream.h: a request that carries measurements):
// the request leaves the groups out, the sweep measures what is missing, and every other measurement is kept as it
// was. `compilescope-cli rerun` and the app's "Re-run marked cells" both go through RerunPlan.
#pragma once

#include "compilescope/results.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace compilescope {

/// What a re-run measures again.
struct RerunSelection {
    bool under_load = true; ///< the (cell, phase) groups with a measurement taken under load
    /// The groups with a failed measurement, that measurement included. Off by default: a continued sweep otherwise
    /// never runs a failed measurement again, so that a variant that crashed the worker does not crash it again.
    bool failed = false;
};

/// Every note a re-run gives a measurement it measured again begins with this.
inline constexpr const char* rerun_note_prefix = "re-run: ";

/// Whether a measurement was measured again by a re-run (its note).
bool was_rerun(const Measurement& measurement);

/// How many of `run`'s measurements `selection` marks (taken under load; failed, with selection.failed): the count
/// the app's "Re-run marked cells (N)" shows. A scan, without the plan RerunPlan makes.
size_t marked_measurements(const RunResult& run, const RerunSelection& selection);

class RerunPlan {
public:
    /// The re-run of the (cell, phase) groups of `run` that `selection` marks. A group the run did not finish (a
    /// cancelled run: a measurement not started, or none) is measured too: a continuation measures it anyway.
    RerunPlan(const RunResult& run, const RerunSelection& selection);

    /// Whether the sweep has nothing to measure.
    bool empty() const { return m_to_run.empty(); }
    /// The (cell, phase) groups the selection marks.
    size_t marked_groups() const { return m_marked_groups.size(); }
    /// The run's measurements that the selection marks.
    size_t marked() const { return m_marked; }
    /// The run's measurements that are measured again: every variant of the marked groups (of a group the run did
    /// not finish, what it did finish), but a failed one without selection.failed.
    size_t remeasured() const { return m_remeasured; }
    /// The planned measurements the run did not finish, measured for the first time.
    size_t unfinished() const { return m_unfinished; }

    /// The continuation the sweep is asked for: the run without the measurements to measure.
    const RunResult& request() const { return m_request; }

    /// A measurement the sweep of request() reported, as it goes into the run: one that measures one of the run's
    /// measurements again gets the re-run note (once).
    Measurement marked(Measurement measurement) const;

    /// The run once the sweep of request() ended with `outcome` (finished, or stopped with what finished): a group
    /// whose every variant the sweep finished takes the new measurements (marked()); any other keeps the run's own, so
    /// that a stopped re-run loses nothing and no group mixes two spans of time. In the plan's order (the run's own
    /// order for a run the program wrote); the time, environment and cancelled flag are the outcome's.
    RunResult merged(const RunResult& outcome) const;

private:
    using GroupKey = std::tuple<int, int64_t, int64_t, int64_t, int>; ///< workload, batch, d_model, seq_len, phase
    using MeasurementKey = std::tuple<GroupKey, std::string>; ///< and the variant

    static GroupKey group_of(const Measurement& measurement);
    static MeasurementKey key_of(const Measurement& measurement);
    /// A failed measurement the request keeps (no selection.failed): the sweep reports it as it was.
    bool kept_failed(const Measurement& measurement) const;

    RunResult m_run;
    RerunSelection m_selection;
    std::vector<Measurement> m_plan;
    /// Indices into m_run.measurements (a plan is copied, so no pointers): of each measurement, and of those that
    /// finished (not cancelled).
    std::map<MeasurementKey, size_t> m_in_run;
    std::map<MeasurementKey, size_t> m_finished;
    std::map<GroupKey, std::string> m_marked_groups; ///< with the note their new measurements get
    std::set<GroupKey> m_to_run; ///< the marked groups and those the run did not finish
    RunResult m_request;
    size_t m_marked = 0;
    size_t m_remeasured = 0;
    size_t m_unfinished = 0;
};

} // namespace compilescope
