#include "run_store.h"

#include <algorithm>

namespace compilescope {

const RunIndex& RunStore::runIndex() const
{
    if (!m_run_index)
        m_run_index.emplace(m_run);
    return *m_run_index;
}

const RunIndex* RunStore::baselineIndex() const
{
    if (!m_baseline)
        return nullptr;
    if (!m_baseline_index)
        m_baseline_index.emplace(*m_baseline);
    return &*m_baseline_index;
}

void RunStore::setRun(RunResult run, const QString& path)
{
    m_run = std::move(run);
    m_run_index.reset();
    m_run_path = path;
    m_live = false;
    m_replacing = false;
    Q_EMIT runReset();
}

void RunStore::beginLiveRun(const SweepConfig& config, const Environment& environment)
{
    RunResult fresh;
    fresh.config = config;
    fresh.environment = environment;
    m_run = std::move(fresh);
    m_run_index.reset();
    m_run_path.clear();
    m_live = true;
    m_replacing = false;
    Q_EMIT runReset();
}

void RunStore::beginLiveRerun(RunResult run)
{
    m_run = std::move(run);
    m_run_index.reset();
    m_run_path.clear(); // what is on screen is no longer that file's run
    m_live = true;
    m_replacing = true;
    Q_EMIT runReset();
}

void RunStore::appendMeasurement(const Measurement& measurement)
{
    if (m_replacing) {
        const auto found = std::find_if(m_run.measurements.begin(), m_run.measurements.end(),
            [&](const Measurement& shown) { return same_measurement(shown, measurement); });
        if (found != m_run.measurements.end()) {
            *found = measurement;
            m_run_index.reset();
            Q_EMIT measurementReplaced(static_cast<int>(found - m_run.measurements.begin()));
            return;
        }
    }
    m_run.measurements.push_back(measurement);
    m_run_index.reset();
    Q_EMIT measurementAppended(static_cast<int>(m_run.measurements.size()) - 1);
}

void RunStore::finishLiveRun(RunResult result)
{
    const bool same_measurements = result.measurements.size() == m_run.measurements.size();
    m_run = std::move(result);
    m_run_index.reset();
    m_live = false;
    m_replacing = false;
    if (!same_measurements)
        Q_EMIT runReset();
    Q_EMIT runFinished();
}

void RunStore::abortLiveRun()
{
    m_live = false;
    m_replacing = false;
    Q_EMIT runFinished();
}

bool RunStore::setSpeedupBaseline(const std::string& variant)
{
    if (m_run.config.speedup_baseline == variant)
        return true;
    if (!has_variant(m_run, variant))
        return false;
    m_run.config.speedup_baseline = variant;
    if (m_baseline && has_variant(*m_baseline, variant))
        m_baseline->config.speedup_baseline = variant;
    Q_EMIT runReset();
    return true;
}

void RunStore::setBaseline(RunResult baseline, const QString& path)
{
    m_baseline = std::move(baseline);
    m_baseline_index.reset();
    m_baseline_path = path;
    Q_EMIT baselineChanged();
}

void RunStore::clearBaseline()
{
    if (!m_baseline)
        return;
    m_baseline_index.reset();
    m_baseline.reset();
    m_baseline_path.clear();
    Q_EMIT baselineChanged();
}

int finished_measurements(const RunResult& run)
{
    return static_cast<int>(std::count_if(run.measurements.begin(), run.measurements.end(), [](const Measurement& m) {
        return m.status == MeasurementStatus::ok || m.status == MeasurementStatus::failed;
    }));
}

} // namespace compilescope
