// The time left of a running sweep: the estimate before Run (run_estimate.h), each part rescaled by how long its
// finished share took on this machine. Exports, compiles and the measuring are calibrated apart, so that a slow
// export or compile does not stretch every measurement after it (issue 25: one export's four minutes spread over the
// first five measurements' FLOPs read "89 h left"). Times are seconds since the sweep started, given by the caller.
#pragma once

#include "compilescope/results.h"
#include "compilescope/run_estimate.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace compilescope {

class EtaCalibration {
public:
    explicit EtaCalibration(RunEstimate estimate);

    /// The AOTInductor exports began at `now_s`.
    void exports_started(double now_s);
    /// `done` exports finished by `now_s` (made, failed or cached: each took its share of the exporters' time).
    void exports_progress(int done, double now_s);
    /// The exports are over (or there were none): from `now_s` the sweep measures.
    void measuring_started(double now_s);
    /// A planned measurement finished at `now_s`. `ran`: it was built and run (ok or failed); one that was skipped,
    /// unavailable, cancelled or finished before a resume took no time of its own. `one_off_s`: the seconds of it
    /// that were one-off work (its compile_ms, the Python child's start); ignored where the estimate counts no one-off
    /// work for it (an AOTInductor package's compile_ms is its export's, a CUDA graph's capture is measuring).
    void finished(
        const CellKey& cell, Phase phase, const std::string& variant, bool ran, double one_off_s, double now_s);

    /// Seconds left at `now_s`: what has not finished, at the pace the finished work set. The part under way (the C++
    /// variants of a cell and phase, timed together, or one Python variant) counts down from its calibrated estimate
    /// and adds nothing while it overruns; never negative.
    double remaining_s(double now_s) const;

    /// The factors the finished work set so far (1: as estimated), for tests and the log.
    double export_pace() const;
    double measuring_pace() const;
    double one_off_pace() const;

private:
    struct Item {
        MeasurementEstimate estimate;
        bool finished = false;
    };
    using Key = std::tuple<Workload, int64_t, int64_t, int64_t, Phase, std::string>;

    RunEstimate m_estimate;
    std::vector<Item> m_items;
    std::map<Key, size_t> m_index;
    double m_exports_started_s = -1;
    double m_last_export_s = 0;
    int m_exports_done = 0;
    double m_measuring_started_s = -1;
    double m_last_finish_s = 0;
    double m_one_off_done_s = 0; ///< measured one-off seconds of the finished measurements
    double m_estimated_work_done_s = 0; ///< their estimated work
    double m_estimated_one_off_done_s = 0; ///< their estimated one-off seconds
};

} // namespace compilescope
