// The run on screen (live or loaded) and an optional baseline run; every view reads from here.
#pragma once

#include "compilescope/results.h"
#include "run_index.h"

#include <QObject>
#include <QString>

#include <optional>

namespace compilescope {

class RunStore : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    const RunResult& run() const { return m_run; }
    const RunResult* baseline() const { return m_baseline ? &*m_baseline : nullptr; }
    /// Where the run was loaded from; empty for a run made in this session.
    const QString& runPath() const { return m_run_path; }
    const QString& baselinePath() const { return m_baseline_path; }
    bool isLive() const { return m_live; }
    /// Look-ups into run() and baseline() (built on first use after each change): views ask through these, never by
    /// scanning the run per point.
    const RunIndex& runIndex() const;
    const RunIndex* baselineIndex() const;

    /// Replaces the run (a loaded file, or an empty one).
    void setRun(RunResult run, const QString& path = {});
    /// The run on screen was written to `path` as JSON: it is now that file's run (nothing on screen changes).
    void setRunPath(const QString& path) { m_run_path = path; }
    /// Starts an empty live run of `config`; measurements arrive through appendMeasurement().
    void beginLiveRun(const SweepConfig& config, const Environment& environment);
    /// Starts a live run that measures part of `run` again (a re-run): its measurements stay on screen, each until
    /// one of the same cell, phase and variant arrives through appendMeasurement() and takes its place.
    void beginLiveRerun(RunResult run);
    void appendMeasurement(const Measurement& measurement);
    /// Takes the sweep's result: its metadata (times, environment, cancelled) and, should they differ from what
    /// arrived live, its measurements.
    void finishLiveRun(RunResult result);
    /// Ends a live run the core refused to start.
    void abortLiveRun();

    /// Shows speedups over `variant` (eager or py-eager) when the run has it; false (nothing changes) otherwise.
    bool setSpeedupBaseline(const std::string& variant);

    void setBaseline(RunResult baseline, const QString& path);
    void clearBaseline();

Q_SIGNALS:
    /// The whole run changed (new, loaded, or measurements replaced).
    void runReset();
    void measurementAppended(int index);
    /// A live re-run's measurement took the place of the one at `index`.
    void measurementReplaced(int index);
    /// A live run ended; its metadata (environment, times) is final.
    void runFinished();
    void baselineChanged();

private:
    RunResult m_run;
    std::optional<RunResult> m_baseline;
    QString m_run_path;
    QString m_baseline_path;
    bool m_live = false;
    bool m_replacing = false; ///< a live re-run: a measurement that arrives replaces its predecessor
    mutable std::optional<RunIndex> m_run_index;
    mutable std::optional<RunIndex> m_baseline_index;
};

/// Measurements that were carried out to the end, ok or failed (not skipped, unavailable or cancelled).
int finished_measurements(const RunResult& run);

} // namespace compilescope
