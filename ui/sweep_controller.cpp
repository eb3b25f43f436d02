#include "sweep_controller.h"

#include "capability_probe.h"
#include "sweep_process.h"

#include <QDateTime>
#include <QThread>

namespace compilescope {

SweepController::SweepController(QObject* parent)
    : QObject(parent)
    , m_probe_thread(new QThread(this))
    , m_probe(new CapabilityProbe)
    , m_worker(SweepProcess::defaultWorker())
{
    registerMetaTypes();
    m_probe_thread->setObjectName(QStringLiteral("capabilities"));
    m_probe->moveToThread(m_probe_thread);
    connect(m_probe_thread, &QThread::finished, m_probe, &QObject::deleteLater);
    connect(m_probe, &CapabilityProbe::capabilitiesReady, this, &SweepController::capabilitiesReady);
    m_probe_thread->start();
}

SweepController::~SweepController()
{
    delete m_sweep;
    m_probe_thread->quit();
    m_probe_thread->wait();
}

void SweepController::probeCapabilities()
{
    QMetaObject::invokeMethod(
        m_probe, [probe = m_probe] { probe->probe(); }, Qt::QueuedConnection);
}

void SweepController::start(const SweepConfig& requested)
{
    SweepConfig config = requested;
    // A profiled run keeps its traces, for the Results table's "Export Chrome trace...", in the cache.
    if (config.measure.profile && config.trace_dir.empty()) {
        config.trace_dir = cache_directory() + "/traces/"
            + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")).toStdString();
    }
    delete m_sweep; // a replaced run's results are dropped with its worker
    m_sweep = new SweepProcess(config, this);
    SweepProcess* sweep = m_sweep;
    connect(sweep, &SweepProcess::progress, this, &SweepController::progress);
    connect(sweep, &SweepProcess::measurementFinished, this, &SweepController::measurementFinished);
    connect(sweep, &SweepProcess::logLine, this, &SweepController::logLine);
    connect(sweep, &SweepProcess::finished, this, [this](const RunResult& result) {
        release();
        Q_EMIT finished(result);
    });
    connect(sweep, &SweepProcess::failed, this, [this](const QString& error) {
        release();
        Q_EMIT failed(error);
    });
    Q_EMIT started(config);
    sweep->start(m_worker);
}

void SweepController::cancel()
{
    if (m_sweep)
        m_sweep->cancel();
}

void SweepController::release()
{
    if (m_sweep) {
        m_sweep->disconnect(this);
        m_sweep->deleteLater();
        m_sweep = nullptr;
    }
}

} // namespace compilescope
