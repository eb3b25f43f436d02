// Constant-time look-ups into one run's measurements: a cell's baseline, the same measurement in another run, a
// curve's points. The core's find_baseline() scans the whole run, which is fine once but quadratic when a chart or
// the table asks for every point (a run with thousands of d_models froze the window for minutes).
#pragma once

#include "compilescope/results.h"
#include "compilescope/statistics.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace compilescope {

class RunIndex {
public:
    /// Indexes `run`, which must outlive the index and not change while it is used.
    explicit RunIndex(const RunResult& run);

    const RunResult& run() const { return *m_run; }

    /// The first measurement of this cell, phase and variant (as the core's find_baseline takes the first), or null.
    const Measurement* find(const CellKey& cell, Phase phase, const std::string& variant) const;
    /// The speedup baseline's measurement of the same cell and phase (core find_baseline), or null.
    const Measurement* baselineOf(const Measurement& measurement) const
    {
        return find(measurement.cell, measurement.phase, speedup_baseline(*m_run));
    }
    /// This run's measurement of the same cell, phase and variant as `measurement` (of any run), or null.
    const Measurement* matching(const Measurement& measurement) const
    {
        return find(measurement.cell, measurement.phase, measurement.variant);
    }
    /// What the core's speedup_over_baseline(run, measurement) returns, with the baseline found by the index.
    std::optional<Speedup> speedupOf(const Measurement& measurement) const;

    /// The successful measurements of one workload, phase, d_model and variant, by ascending seq_len (stable).
    std::vector<const Measurement*> series(
        Workload workload, Phase phase, int64_t d_model, const std::string& variant) const;

    /// variants_in(run), computed once.
    const std::vector<std::string>& variants() const { return m_variants; }

private:
    struct Key {
        Workload workload;
        int64_t batch;
        int64_t d_model;
        int64_t seq_len;
        Phase phase;
        std::string variant;

        bool operator==(const Key& other) const;
    };
    struct KeyHash {
        size_t operator()(const Key& key) const;
    };
    using SeriesKey = std::tuple<Workload, Phase, int64_t, std::string>;

    const RunResult* m_run;
    std::unordered_map<Key, size_t, KeyHash> m_by_key;
    std::map<SeriesKey, std::vector<size_t>> m_series; // ok measurements, sorted by seq_len
    std::vector<std::string> m_variants;
};

} // namespace compilescope
