// The GUI thread's handle on the sweep thread: starts and cancels runs, drops results of stale runs, and joins
// the thread on shutdown.
#pragma once

#include "meta_types.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class QThread;

namespace compilescope {

class SweepWorker;

class SweepController : public QObject {
    Q_OBJECT
public:
    explicit SweepController(QObject* parent = nullptr);
    /// Cancels a running sweep and waits for the thread (the sweep stops after its current timed iteration).
    ~SweepController() override;

    /// Asks the sweep thread for the capabilities; capabilitiesReady follows.
    void probeCapabilities();
    /// Starts a sweep of a validated configuration; a running one is cancelled and its results dropped.
    void start(const SweepConfig& config);
    /// Sets the running sweep's cancellation token; finished follows with the measurements done so far.
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void capabilitiesReady(const compilescope::Capabilities& capabilities);
    void started(const compilescope::SweepConfig& config);
    void progress(const compilescope::SweepProgress& progress);
    void measurementFinished(const compilescope::Measurement& measurement);
    void logLine(const QString& line);
    void finished(const compilescope::RunResult& result);
    void failed(const QString& error);

private:
    bool isCurrent(quint64 run_id) const { return m_running && run_id == m_run_id; }

    QThread* m_thread = nullptr;
    QPointer<SweepWorker> m_worker;
    quint64 m_run_id = 0;
    bool m_running = false;
    std::shared_ptr<CancelToken> m_cancel;
};

} // namespace compilescope
