// The GUI's handle on sweeps: each runs in a compilescope-worker process (SweepProcess), so that the sweep never
// shares a process with the interface and a cancel or close takes about a second whatever the cell; results of a
// replaced run are dropped. Capabilities are probed on a thread of this process.
// Every sweep keeps a journal in the state folder (interrupted_sweeps.h): deleted once the sweep has ended and the
// window has its run, kept when the worker died, so that the next start can resume it.
#pragma once

#include "meta_types.h"

#include <QObject>
#include <QPointer>
#include <QString>

class QThread;

namespace compilescope {

class CapabilityProbe;
class SweepProcess;

class SweepController : public QObject {
    Q_OBJECT
public:
    explicit SweepController(QObject* parent = nullptr);
    /// Ends a running sweep's worker and joins the probe thread.
    ~SweepController() override;

    /// Asks the probe thread for the capabilities; capabilitiesReady follows.
    void probeCapabilities();
    /// Starts a sweep of a validated configuration; a running one is ended and its results dropped.
    void start(const SweepConfig& config);
    /// Continues the interrupted sweep of the journal at `path` (its configuration `config`): the measurements that
    /// finished arrive first, then the missing ones are run. The journal is kept if the resume fails.
    void resume(const QString& path, const SweepConfig& config);
    /// Runs what `request` (a run and what of it to keep: RerunPlan::request()) lacks, in a new journal: the kept
    /// measurements are not reported again, only what the sweep measures (a re-run).
    void rerun(const RunResult& request);
    /// Stops the running sweep; finished follows within about a second with the measurements done so far.
    void cancel();
    bool isRunning() const { return m_sweep != nullptr; }
    /// How the last sweep's worker died ("killed by signal 9 (Killed)"); empty when it ended as asked.
    const QString& workerDeath() const { return m_worker_death; }

    /// The worker executable sweeps run in (SweepProcess::defaultWorker() unless set, e.g. by tests).
    void setWorker(const QString& worker) { m_worker = worker; }

Q_SIGNALS:
    void capabilitiesReady(const compilescope::Capabilities& capabilities);
    void started(const compilescope::SweepConfig& config);
    void progress(const compilescope::SweepProgress& progress);
    void measurementFinished(const compilescope::Measurement& measurement);
    void logLine(const QString& line);
    void finished(const compilescope::RunResult& result);
    void failed(const QString& error);
    /// After finished or failed: the sweep's journal at `path` was deleted (its run is in the window), or `kept`
    /// because its worker died or a resume failed: the sweep can be resumed.
    void journalClosed(const QString& path, bool kept);

private:
    void launch(
        const SweepConfig& config, const QString& journal, bool resume, const RunResult* continuation = nullptr);
    /// Forgets the current sweep (its worker is ended when it is deleted).
    void release();

    QThread* m_probe_thread = nullptr;
    QPointer<CapabilityProbe> m_probe;
    SweepProcess* m_sweep = nullptr;
    QString m_worker;
    QString m_worker_death;
};

} // namespace compilescope
