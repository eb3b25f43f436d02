#include "sweep_controller.h"

#include "capability_probe.h"
#include "interrupted_sweeps.h"
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
    QString error;
    const QString journal = newJournalPath(&error);
    launch(config, journal, false);
    if (journal.isEmpty())
        Q_EMIT logLine(tr("This sweep has no journal (%1): if its worker is killed, it cannot be resumed.").arg(error));
}

void SweepController::resume(const QString& path, const SweepConfig& config)
{
    launch(config, path, true);
}

void SweepController::rerun(const RunResult& request)
{
    QString error;
    const QString journal = newJournalPath(&error);
    launch(request.config, journal, false, &request);
    if (journal.isEmpty())
        Q_EMIT logLine(
            tr("This re-run has no journal (%1): if its worker is killed, it cannot be resumed.").arg(error));
}

void SweepController::launch(
    const SweepConfig& config, const QString& journal, bool resume, const RunResult* continuation)
{
    if (m_sweep) { // a replaced run's results are dropped with its worker, and so is a new sweep's journal
        const QString dropped = m_sweep->isResume() ? QString() : m_sweep->journalPath();
        delete m_sweep;
        m_sweep = nullptr;
        if (!dropped.isEmpty())
            removeJournal(dropped);
    }
    m_sweep = new SweepProcess(config, this);
    SweepProcess* sweep = m_sweep;
    sweep->setJournal(journal, resume);
    if (continuation)
        sweep->setContinuation(*continuation);
    connect(sweep, &SweepProcess::progress, this, &SweepController::progress);
    connect(sweep, &SweepProcess::measurementFinished, this, &SweepController::measurementFinished);
    connect(sweep, &SweepProcess::logLine, this, &SweepController::logLine);
    connect(sweep, &SweepProcess::finished, this, [this, sweep](const RunResult& result) {
        const QString journal = sweep->journalPath();
        const bool died = sweep->workerDied();
        m_worker_death = died ? sweep->deathReason() : QString();
        release();
        // The window shows the run and keeps it in the history first; only then is the journal redundant.
        Q_EMIT finished(result);
        if (journal.isEmpty())
            return;
        if (QString error; !died && !removeJournal(journal, &error))
            Q_EMIT logLine(error);
        Q_EMIT journalClosed(journal, died);
    });
    connect(sweep, &SweepProcess::failed, this, [this, sweep](const QString& error) {
        const QString journal = sweep->journalPath();
        const bool resumed = sweep->isResume();
        release();
        Q_EMIT failed(error);
        if (journal.isEmpty())
            return;
        // A new sweep that did not run leaves nothing worth keeping; a journal that failed to resume is still the
        // user's finished work.
        if (!resumed)
            removeJournal(journal);
        Q_EMIT journalClosed(journal, resumed);
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
