#include "sweep_controller.h"

#include "sweep_worker.h"

#include <QDateTime>
#include <QThread>

namespace compilescope {

SweepController::SweepController(QObject* parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_worker(new SweepWorker)
{
    registerMetaTypes();
    m_thread->setObjectName(QStringLiteral("sweep"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &SweepWorker::capabilitiesReady, this, &SweepController::capabilitiesReady);
    connect(m_worker, &SweepWorker::progress, this, [this](quint64 run_id, const SweepProgress& value) {
        if (isCurrent(run_id))
            Q_EMIT progress(value);
    });
    connect(m_worker, &SweepWorker::measurementFinished, this, [this](quint64 run_id, const Measurement& value) {
        if (isCurrent(run_id))
            Q_EMIT measurementFinished(value);
    });
    connect(m_worker, &SweepWorker::logLine, this, [this](quint64 run_id, const QString& line) {
        if (isCurrent(run_id))
            Q_EMIT logLine(line);
    });
    connect(m_worker, &SweepWorker::finished, this, [this](quint64 run_id, const RunResult& result) {
        if (!isCurrent(run_id))
            return;
        m_running = false;
        Q_EMIT finished(result);
    });
    connect(m_worker, &SweepWorker::failed, this, [this](quint64 run_id, const QString& error) {
        if (!isCurrent(run_id))
            return;
        m_running = false;
        Q_EMIT failed(error);
    });
    m_thread->start();
}

SweepController::~SweepController()
{
    if (m_cancel)
        m_cancel->cancel();
    m_thread->quit();
    m_thread->wait();
}

void SweepController::probeCapabilities()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker] { worker->probe(); }, Qt::QueuedConnection);
}

void SweepController::start(const SweepConfig& requested)
{
    SweepConfig config = requested;
    // A profiled run keeps its traces, for the Results table's "Export Chrome trace...", in the cache.
    if (config.measure.profile && config.trace_dir.empty()) {
        config.trace_dir = cache_directory() + "/traces/"
            + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")).toStdString();
    }
    if (m_cancel)
        m_cancel->cancel();
    m_cancel = std::make_shared<CancelToken>();
    const quint64 run_id = ++m_run_id;
    m_running = true;
    Q_EMIT started(config);
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, run_id, config, cancel = m_cancel] { worker->run(run_id, config, cancel); },
        Qt::QueuedConnection);
}

void SweepController::cancel()
{
    // Set directly from the GUI thread: a queued request would wait behind the running sweep.
    if (m_running && m_cancel)
        m_cancel->cancel();
}

} // namespace compilescope
