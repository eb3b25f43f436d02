#include "compilescope/rerun.h"

#include "compilescope/sweep_plan.h"

#include <algorithm>

namespace compilescope {

namespace {

bool marks(const Measurement& measurement, const RerunSelection& selection)
{
    return (selection.under_load && taken_under_load(measurement))
        || (selection.failed && measurement.status == MeasurementStatus::failed);
}

/// The note of a marked group's new measurements: constant texts, so that a report gathers them as one.
std::string marked_group_note(bool under_load, bool failed)
{
    std::string why = under_load && failed ? "a measurement taken under load and a failed one"
        : under_load                       ? "a measurement taken under load"
                                           : "a failed measurement";
    return rerun_note_prefix + ("its cell and phase had " + why);
}

const std::string unfinished_group_note = std::string(rerun_note_prefix) + "its cell and phase had not finished";

} // namespace

bool was_rerun(const Measurement& measurement)
{
    return std::any_of(measurement.notes.begin(), measurement.notes.end(),
        [](const std::string& note) { return note.rfind(rerun_note_prefix, 0) == 0; });
}

size_t marked_measurements(const RunResult& run, const RerunSelection& selection)
{
    return size_t(std::count_if(run.measurements.begin(), run.measurements.end(),
        [&](const Measurement& measurement) { return marks(measurement, selection); }));
}

RerunPlan::GroupKey RerunPlan::group_of(const Measurement& measurement)
{
    const CellKey& cell = measurement.cell;
    return { int(cell.workload), cell.batch, cell.d_model, cell.seq_len, int(measurement.phase) };
}

RerunPlan::MeasurementKey RerunPlan::key_of(const Measurement& measurement)
{
    return { group_of(measurement), measurement.variant };
}

RerunPlan::RerunPlan(const RunResult& run, const RerunSelection& selection)
    : m_run(run)
    , m_selection(selection)
    , m_plan(plan_measurements(run.config))
{
    std::map<GroupKey, std::pair<bool, bool>> reasons; // under load, failed
    for (size_t i = 0; i < m_run.measurements.size(); ++i) {
        const Measurement& measurement = m_run.measurements[i];
        m_in_run[key_of(measurement)] = i;
        if (measurement.status != MeasurementStatus::cancelled)
            m_finished[key_of(measurement)] = i;
        if (marks(measurement, selection)) {
            ++m_marked;
            auto& [under_load, failed] = reasons[group_of(measurement)];
            under_load = under_load || (selection.under_load && taken_under_load(measurement));
            failed = failed || (selection.failed && measurement.status == MeasurementStatus::failed);
        }
    }
    for (const auto& [group, why] : reasons) {
        m_marked_groups[group] = marked_group_note(why.first, why.second);
        m_to_run.insert(group);
    }
    // What a continuation measures anyway: a group with a planned variant the run did not finish.
    for (const Measurement& planned : m_plan) {
        if (m_finished.count(key_of(planned)) == 0) {
            ++m_unfinished;
            m_to_run.insert(group_of(planned));
        }
    }

    m_request = m_run;
    m_request.measurements.clear();
    for (const Measurement& measurement : m_run.measurements) {
        if (measurement.status == MeasurementStatus::cancelled)
            continue;
        if (m_to_run.count(group_of(measurement)) == 0 || kept_failed(measurement)) {
            m_request.measurements.push_back(measurement);
            continue;
        }
        ++m_remeasured;
    }
}

bool RerunPlan::kept_failed(const Measurement& measurement) const
{
    return measurement.status == MeasurementStatus::failed && !m_selection.failed;
}

Measurement RerunPlan::marked(Measurement measurement) const
{
    const GroupKey group = group_of(measurement);
    if (m_to_run.count(group) == 0 || m_finished.count(key_of(measurement)) == 0 || was_rerun(measurement))
        return measurement;
    const auto found = m_marked_groups.find(group);
    measurement.notes.push_back(found != m_marked_groups.end() ? found->second : unfinished_group_note);
    return measurement;
}

RunResult RerunPlan::merged(const RunResult& outcome) const
{
    std::map<MeasurementKey, const Measurement*> measured; // the outcome's; the last of each wins
    for (const Measurement& measurement : outcome.measurements)
        measured[key_of(measurement)] = &measurement;
    const auto in_run = [this](const MeasurementKey& key, const std::map<MeasurementKey, size_t>& index) {
        const auto found = index.find(key);
        return found == index.end() ? nullptr : &m_run.measurements[found->second];
    };

    // Every variant of a group: the plan's, and whatever else the run or the outcome holds of it.
    std::vector<const Measurement*> order;
    for (const Measurement& planned : m_plan)
        order.push_back(&planned);
    for (const Measurement& measurement : m_run.measurements)
        order.push_back(&measurement);
    for (const Measurement& measurement : outcome.measurements)
        order.push_back(&measurement);
    std::map<GroupKey, bool> complete; // of the groups to run: whether the sweep finished every variant
    for (const Measurement* measurement : order) {
        const GroupKey group = group_of(*measurement);
        if (m_to_run.count(group) == 0)
            continue;
        const MeasurementKey key = key_of(*measurement);
        const Measurement* before = in_run(key, m_finished);
        const auto after = measured.find(key);
        const bool done = (before && kept_failed(*before))
            || (after != measured.end() && after->second->status != MeasurementStatus::cancelled);
        bool& all_done = complete.emplace(group, true).first->second;
        all_done = all_done && done;
    }

    RunResult run = outcome;
    run.measurements.clear();
    std::set<MeasurementKey> placed;
    for (const Measurement* measurement : order) {
        const MeasurementKey key = key_of(*measurement);
        if (!placed.insert(key).second)
            continue;
        const Measurement* finished_before = in_run(key, m_finished);
        const Measurement* before = in_run(key, m_in_run);
        const auto found = measured.find(key);
        const Measurement* after = found == measured.end() ? nullptr : found->second;
        const auto group = complete.find(std::get<0>(key));
        const bool replaced
            = group != complete.end() && group->second && after && !(finished_before && kept_failed(*finished_before));
        if (replaced)
            run.measurements.push_back(marked(*after));
        else if (finished_before)
            run.measurements.push_back(*finished_before);
        else if (after)
            run.measurements.push_back(*after);
        else if (before)
            run.measurements.push_back(*before);
    }
    return run;
}

} // namespace compilescope
