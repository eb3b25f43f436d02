#include "compilescope/eta_calibration.h"

#include <algorithm>
#include <utility>

namespace compilescope {

namespace {

/// Actual over estimated seconds, starting at `prior` and moving to what was measured as estimated seconds finish:
/// `weight_s` estimated seconds' worth of prior, so that the first short measurement cannot swing it. Kept within
/// 1/20 and 20: a pace beyond them says more about one odd measurement than about the rest.
double pace(double actual_s, double estimated_s, double prior, double weight_s)
{
    return std::clamp(
        (std::max(0.0, actual_s) + prior * weight_s) / (std::max(0.0, estimated_s) + weight_s), 0.05, 20.0);
}

/// A tenth of a part's estimate, within 2 s and a minute: how much of it must finish before it calibrates half-way.
double prior_weight(double total_s)
{
    return std::clamp(0.1 * total_s, 2.0, 60.0);
}

} // namespace

EtaCalibration::EtaCalibration(RunEstimate estimate)
    : m_estimate(std::move(estimate))
{
    for (const MeasurementEstimate& planned : m_estimate.plan) {
        m_index.emplace(Key { planned.cell.workload, planned.cell.batch, planned.cell.d_model, planned.cell.seq_len,
                            planned.phase, planned.variant },
            m_items.size());
        m_items.push_back({ planned, false });
    }
}

void EtaCalibration::exports_started(double now_s)
{
    m_exports_started_s = now_s;
    m_last_export_s = now_s;
}

void EtaCalibration::exports_progress(int done, double now_s)
{
    if (m_exports_started_s < 0)
        exports_started(now_s);
    m_exports_done = done;
    m_last_export_s = now_s;
}

void EtaCalibration::measuring_started(double now_s)
{
    m_measuring_started_s = now_s;
    m_last_finish_s = now_s;
}

void EtaCalibration::finished(
    const CellKey& cell, Phase phase, const std::string& variant, bool ran, double one_off_s, double now_s)
{
    if (m_measuring_started_s < 0)
        measuring_started(now_s);
    m_last_finish_s = now_s;
    const auto found = m_index.find(Key { cell.workload, cell.batch, cell.d_model, cell.seq_len, phase, variant });
    if (found == m_index.end() || m_items[found->second].finished)
        return;
    Item& item = m_items[found->second];
    item.finished = true;
    if (ran) {
        m_estimated_work_done_s += item.estimate.work_s;
        // Where the estimate counts no one-off work, a compile time is not this sweep's (an AOTInductor package's
        // compile_ms is its export's, made before the measuring) or is part of the measuring (a CUDA graph's capture).
        if (item.estimate.one_off_s > 0) {
            m_estimated_one_off_done_s += item.estimate.one_off_s;
            m_one_off_done_s += one_off_s;
        }
    }
}

double EtaCalibration::export_pace() const
{
    if (m_exports_started_s < 0 || m_estimate.export_each_s <= 0)
        return 1;
    return pace(m_last_export_s - m_exports_started_s, m_exports_done * m_estimate.export_each_s, 1,
        std::max(1.0, m_estimate.export_each_s));
}

double EtaCalibration::measuring_pace() const
{
    if (m_measuring_started_s < 0)
        return 1;
    const double actual = m_last_finish_s - m_measuring_started_s - m_one_off_done_s;
    return pace(actual, m_estimated_work_done_s, 1, prior_weight(m_estimate.measuring_s));
}

double EtaCalibration::one_off_pace() const
{
    // Exports and compiles are both Inductor at work on this machine: the exports' pace is the compiles' first guess.
    const double prior = m_exports_done > 0 ? export_pace() : 1;
    return pace(m_one_off_done_s, m_estimated_one_off_done_s, prior, prior_weight(m_estimate.compile_s));
}

double EtaCalibration::remaining_s(double now_s) const
{
    double left = 0;
    const bool measuring = m_measuring_started_s >= 0;
    if (!measuring && m_exports_started_s < 0)
        left += std::max(0.0, m_estimate.start_s - now_s);
    const int exports_left = std::max(0, m_estimate.exports - m_exports_done);
    if (!measuring && exports_left > 0) {
        const double each = m_estimate.export_each_s * export_pace();
        const double since = m_exports_started_s < 0 ? 0 : now_s - m_last_export_s;
        left += std::max((exports_left - 1) * each, exports_left * each - since);
    }

    const double work_pace = measuring_pace();
    const double compile_pace = one_off_pace();
    const auto under_way
        = std::find_if(m_items.begin(), m_items.end(), [](const Item& item) { return !item.finished; });
    double rest = 0;
    double current = 0;
    for (const Item& item : m_items) {
        if (item.finished)
            continue;
        const double seconds = item.estimate.work_s * work_pace + item.estimate.one_off_s * compile_pace;
        // Under way: the C++ variants of the group being timed together, or the one Python variant being measured.
        const bool together
            = item.estimate.group == under_way->estimate.group && !item.estimate.python && !under_way->estimate.python;
        (together || &item == &*under_way ? current : rest) += seconds;
    }
    const double since = measuring ? now_s - m_last_finish_s : 0;
    return left + rest + std::max(0.0, current - since);
}

} // namespace compilescope
