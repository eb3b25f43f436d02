#include "sweep_process.h"

#include "compilescope/journal.h"
#include "compilescope/reports.h"
#include "compilescope/sweep_plan.h"
#include "compilescope/sweep_stream.h"
#include "compilescope/text_format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>

#include <csignal>
#include <cstring>
#include <sys/types.h>
#include <unistd.h>

namespace compilescope {

namespace {

/// Local time with its UTC offset, as the core writes started_at and finished_at.
std::string isoNow()
{
    const QDateTime now = QDateTime::currentDateTime();
    return now.toOffsetFromUtc(now.offsetFromUtc()).toString(Qt::ISODate).toStdString();
}

/// Complete lines taken from the front of `buffer` (without their '\n'); a partial last line stays.
QList<QByteArray> takeLines(QByteArray& buffer)
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    for (qsizetype end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n', start)) {
        lines << buffer.mid(start, end - start);
        start = end + 1;
    }
    buffer.remove(0, start);
    return lines;
}

} // namespace

SweepProcess::SweepProcess(const SweepConfig& config, QObject* parent)
    : QObject(parent)
{
    m_run.config = config;
    m_run.started_at = isoNow();
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this, [this] {
        killGroup();
        finishWithPartialRun(tr("Cancelled inside a measurement: the sweep worker was stopped; every measurement "
                                "that had finished is kept."));
    });
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &SweepProcess::readEvents);
    connect(&m_process, &QProcess::readyReadStandardError, this, &SweepProcess::readLog);
    connect(&m_process, &QProcess::finished, this, &SweepProcess::onExited);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && !m_done) {
            m_done = true;
            Q_EMIT failed(tr("Cannot start the sweep worker %1: %2").arg(m_process.program(), m_process.errorString()));
        }
    });
    // Its own process group, so that ending the worker also ends the Python and exporter processes it started.
    m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
}

SweepProcess::~SweepProcess()
{
    m_process.disconnect(this);
    killGroup();
    m_process.waitForFinished(1000);
}

QString SweepProcess::defaultWorker()
{
    QString configured = qEnvironmentVariable("COMPILESCOPE_WORKER");
    if (!configured.isEmpty())
        return configured;
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("compilescope-worker"));
}

void SweepProcess::setJournal(const QString& path, bool resume)
{
    m_journal = path;
    m_resume = resume && !path.isEmpty();
}

void SweepProcess::start(const QString& worker)
{
    m_clock.start();
    m_worker = worker;
    QStringList arguments;
    if (!m_journal.isEmpty())
        arguments << QStringLiteral("--journal") << m_journal;
    if (m_resume)
        arguments << QStringLiteral("--resume");
    m_process.start(worker, arguments);
    SweepEvent request;
    request.kind = SweepEvent::Kind::request;
    if (m_continuation)
        request.run = *m_continuation;
    request.run.config = m_run.config;
    m_process.write(QByteArray::fromStdString(stream_line(request)));
}

void SweepProcess::cancel()
{
    if (m_done || m_process.state() == QProcess::NotRunning)
        return;
    m_cancel_requested = true;
    m_process.write(QByteArray(cancel_request) + '\n');
    m_grace.start(cancel_grace_ms);
}

void SweepProcess::readEvents()
{
    m_pending_stdout += m_process.readAllStandardOutput();
    for (const QByteArray& line : takeLines(m_pending_stdout)) {
        if (m_done)
            return;
        SweepEvent event;
        try {
            event = parse_stream_line(line.toStdString());
        } catch (const std::exception& error) {
            Q_EMIT logLine(tr("The sweep worker wrote an unreadable line (%1): %2")
                               .arg(QString::fromStdString(error.what()), QString::fromUtf8(line.left(200))));
            continue;
        }
        switch (event.kind) {
        case SweepEvent::Kind::request:
            break;
        case SweepEvent::Kind::started:
            m_run = event.run;
            m_started = true;
            break;
        case SweepEvent::Kind::progress:
            m_last = event.progress;
            Q_EMIT progress(event.progress);
            break;
        case SweepEvent::Kind::log:
            Q_EMIT logLine(QString::fromStdString(event.text));
            break;
        case SweepEvent::Kind::measurement:
            m_run.measurements.push_back(event.measurement);
            Q_EMIT measurementFinished(event.measurement);
            break;
        case SweepEvent::Kind::finished:
            m_done = true;
            m_grace.stop();
            Q_EMIT finished(event.run);
            break;
        case SweepEvent::Kind::failed:
            m_done = true;
            m_grace.stop();
            Q_EMIT failed(QString::fromStdString(event.text));
            break;
        }
    }
}

void SweepProcess::readLog()
{
    // LibTorch's own warnings go to stderr; they belong in the Log tab.
    m_pending_stderr += m_process.readAllStandardError();
    for (const QByteArray& line : takeLines(m_pending_stderr)) {
        if (!line.trimmed().isEmpty())
            Q_EMIT logLine(QString::fromUtf8(line));
    }
}

void SweepProcess::onExited(int exit_code, QProcess::ExitStatus status)
{
    readEvents();
    if (m_done)
        return;
    // On Unix a crashed process's exit code is the signal that ended it.
    const std::optional<int> signal = status == QProcess::CrashExit ? std::optional<int>(exit_code) : std::nullopt;
    m_death_reason = signal
        ? tr("killed by signal %1 (%2)").arg(exit_code).arg(QString::fromLocal8Bit(::strsignal(exit_code)))
        : tr("exited with code %1 without a result").arg(exit_code);
    if (!m_cancel_requested && worker_crashed(signal) && continueAfterCrash())
        return;
    m_worker_died = !m_cancel_requested;
    finishWithPartialRun(tr("The sweep worker %1; every measurement that had finished is kept.").arg(m_death_reason));
}

bool SweepProcess::continueAfterCrash()
{
    if (!m_started || m_journal.isEmpty())
        return false;
    const std::vector<Measurement> died
        = died_while_running(m_last, m_run.measurements, plan_measurements(m_run.config), m_death_reason.toStdString());
    if (died.empty())
        return false;
    try {
        JournalWriter journal(m_journal.toStdString(), {}, true);
        for (const Measurement& measurement : died)
            journal.measurement(measurement);
        if (!journal.flush_pending())
            return false;
    } catch (const std::exception&) {
        return false; // a fresh worker would run them again, and crash again
    }
    for (const Measurement& measurement : died) {
        m_run.measurements.push_back(measurement);
        Q_EMIT measurementFinished(measurement);
    }
    Q_EMIT logLine(tr("The sweep worker %1 while it ran %2: recorded as failed; a fresh worker goes on with the rest.")
                       .arg(m_death_reason, QString::fromStdString(measurement_label(died.front()))));
    m_last = SweepProgress {};
    m_pending_stdout.clear();
    m_pending_stderr.clear();
    m_process.start(m_worker, { QStringLiteral("--journal"), m_journal, QStringLiteral("--continue") });
    return true;
}

void SweepProcess::killGroup()
{
    const qint64 pid = m_process.processId();
    if (pid > 0)
        ::kill(-static_cast<pid_t>(pid), SIGKILL);
}

void SweepProcess::finishWithPartialRun(const QString& why)
{
    if (m_done)
        return;
    m_done = true;
    m_grace.stop();
    m_run.cancelled = true;
    m_run.finished_at = isoNow();
    m_run.wall_time_s = static_cast<double>(m_clock.elapsed()) / 1000.0;
    Q_EMIT logLine(why);
    Q_EMIT finished(m_run);
}

} // namespace compilescope
