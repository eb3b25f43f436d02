#include "run_index.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace compilescope {

bool RunIndex::Key::operator==(const Key& other) const
{
    return workload == other.workload && batch == other.batch && d_model == other.d_model && seq_len == other.seq_len
        && phase == other.phase && variant == other.variant;
}

size_t RunIndex::KeyHash::operator()(const Key& key) const
{
    size_t hash = std::hash<std::string>()(key.variant);
    for (const int64_t part :
        { static_cast<int64_t>(key.workload), key.batch, key.d_model, key.seq_len, static_cast<int64_t>(key.phase) })
        hash ^= std::hash<int64_t>()(part) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
    return hash;
}

RunIndex::RunIndex(const RunResult& run)
    : m_run(&run)
    , m_variants(variants_in(run))
{
    const auto& measurements = run.measurements;
    m_by_key.reserve(measurements.size());
    for (size_t i = 0; i < measurements.size(); ++i) {
        const Measurement& m = measurements[i];
        // emplace keeps the first of duplicates, as a linear scan from the front would find it.
        m_by_key.emplace(Key { m.cell.workload, m.cell.batch, m.cell.d_model, m.cell.seq_len, m.phase, m.variant }, i);
        if (m.ok())
            m_series[SeriesKey { m.cell.workload, m.phase, m.cell.d_model, m.variant }].push_back(i);
    }
    for (auto& [key, points] : m_series) {
        std::stable_sort(points.begin(), points.end(),
            [&](size_t a, size_t b) { return measurements[a].cell.seq_len < measurements[b].cell.seq_len; });
    }
}

const Measurement* RunIndex::find(const CellKey& cell, Phase phase, const std::string& variant) const
{
    const auto found = m_by_key.find(Key { cell.workload, cell.batch, cell.d_model, cell.seq_len, phase, variant });
    return found == m_by_key.end() ? nullptr : &m_run->measurements[found->second];
}

std::optional<Speedup> RunIndex::speedupOf(const Measurement& measurement) const
{
    return speedup_over_baseline(*m_run, measurement, [this](const Measurement& of) { return baselineOf(of); });
}

std::vector<const Measurement*> RunIndex::series(
    Workload workload, Phase phase, int64_t d_model, const std::string& variant) const
{
    std::vector<const Measurement*> points;
    const auto found = m_series.find(SeriesKey { workload, phase, d_model, variant });
    if (found == m_series.end())
        return points;
    points.reserve(found->second.size());
    for (const size_t i : found->second)
        points.push_back(&m_run->measurements[i]);
    return points;
}

} // namespace compilescope
