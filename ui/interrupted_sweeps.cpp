#include "interrupted_sweeps.h"

#include "compilescope/results.h"
#include "compilescope/sweep_events.h"
#include "compilescope/sweep_plan.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QStringList>

#include <algorithm>

namespace compilescope {

namespace {

/// A journal younger than this may belong to a sweep whose worker is between creating it and locking it.
constexpr qint64 never_started_age_s = 60;

/// Whether the file holds at most one complete line (the header): its sweep never reported a start.
bool neverStarted(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(1 << 20);
    const qsizetype first_end = head.indexOf('\n');
    return first_end < 0 ? file.atEnd() : first_end == head.size() - 1 && file.atEnd();
}

QString workloadsOf(const SweepConfig& config)
{
    QStringList names;
    for (const Workload workload : config.workloads)
        names << QString::fromStdString(to_string(workload));
    return names.join(QStringLiteral(" + "));
}

/// When the sweep first started, in local time, or the journal's last write when the start cannot be read.
QString dateOf(const InterruptedSweep& sweep)
{
    QDateTime when;
    if (sweep.journal)
        when = QDateTime::fromString(QString::fromStdString(sweep.journal->run.started_at), Qt::ISODate);
    if (!when.isValid())
        when = sweep.modified;
    return QLocale().toString(when.toLocalTime(), QStringLiteral("d MMM yyyy, HH:mm"));
}

} // namespace

QString journalDirectory()
{
    // XDG: a relative XDG_STATE_HOME is invalid and must be ignored.
    QString state = qEnvironmentVariable("XDG_STATE_HOME");
    if (!QDir::isAbsolutePath(state)) {
        const QString home = qEnvironmentVariable("HOME");
        if (!QDir::isAbsolutePath(home))
            return {};
        state = QDir(home).filePath(QStringLiteral(".local/state"));
    }
    return QDir(state).filePath(QStringLiteral("CompileScope/journals"));
}

QString newJournalPath(QString* error)
{
    const QString directory = journalDirectory();
    if (directory.isEmpty()) {
        *error = QObject::tr("no state folder (neither XDG_STATE_HOME nor HOME is set)");
        return {};
    }
    if (!QDir().mkpath(directory)) {
        *error = QObject::tr("cannot create %1").arg(directory);
        return {};
    }
    const QString stem = QStringLiteral("sweep-%1-%2")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                             .arg(QCoreApplication::applicationPid());
    // Two sweeps of one app within a second: the worker refuses to overwrite a journal, so the name must be new.
    QString path = QDir(directory).filePath(stem + QStringLiteral(".journal"));
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = QDir(directory).filePath(QStringLiteral("%1-%2.journal").arg(stem).arg(n));
    return path;
}

int InterruptedSweep::finished() const
{
    return journal ? static_cast<int>(journal->run.measurements.size()) : 0;
}

int InterruptedSweep::planned() const
{
    return journal ? planned_measurements(journal->run.config) : 0;
}

QList<InterruptedSweep> findInterruptedSweeps(const QString& directory)
{
    QList<InterruptedSweep> found;
    if (directory.isEmpty())
        return found;
    const QFileInfoList files = QDir(directory).entryInfoList(
        { QStringLiteral("*.journal") }, QDir::Files | QDir::NoDotAndDotDot, QDir::Time);
    for (const QFileInfo& file : files) {
        const QString path = file.absoluteFilePath();
        if (journal_in_use(path.toStdString()))
            continue;
        if (neverStarted(path)) {
            if (file.lastModified().secsTo(QDateTime::currentDateTime()) > never_started_age_s)
                QFile::remove(path);
            continue;
        }
        found << interruptedSweepAt(path);
    }
    return found;
}

InterruptedSweep interruptedSweepAt(const QString& path)
{
    InterruptedSweep sweep;
    sweep.path = path;
    sweep.modified = QFileInfo(path).lastModified();
    try {
        sweep.journal = read_journal(path.toStdString());
    } catch (const std::exception& error) {
        sweep.error = QString::fromStdString(error.what());
    }
    return sweep;
}

QString describeInterruptedSweep(const InterruptedSweep& sweep)
{
    if (!sweep.journal)
        return QObject::tr("The journal of an interrupted sweep cannot be read: %1").arg(sweep.error);
    return QObject::tr("A sweep was interrupted on %1: %2, %3 of %4 measurements finished.")
        .arg(dateOf(sweep), workloadsOf(sweep.journal->run.config))
        .arg(sweep.finished())
        .arg(sweep.planned());
}

QString menuTextOfInterruptedSweep(const InterruptedSweep& sweep)
{
    if (!sweep.journal)
        return QObject::tr("%1 · unreadable journal").arg(dateOf(sweep));
    return QObject::tr("%1 · %2 · %3 of %4")
        .arg(dateOf(sweep), workloadsOf(sweep.journal->run.config))
        .arg(sweep.finished())
        .arg(sweep.planned());
}

RunResult runOfInterruptedSweep(const InterruptedSweep& sweep)
{
    RunResult run = sweep.journal->run;
    run.cancelled = true;
    std::vector<Measurement> measurements;
    for (Measurement& planned : plan_measurements(run.config)) {
        const auto done = std::find_if(run.measurements.begin(), run.measurements.end(),
            [&](const Measurement& m) { return same_measurement(m, planned); });
        measurements.push_back(done == run.measurements.end() ? std::move(planned) : *done);
    }
    run.measurements = std::move(measurements);
    const QDateTime last_write = sweep.modified;
    run.finished_at = last_write.toOffsetFromUtc(last_write.offsetFromUtc()).toString(Qt::ISODate).toStdString();
    const QDateTime started = QDateTime::fromString(QString::fromStdString(run.started_at), Qt::ISODate);
    if (started.isValid())
        run.wall_time_s = std::max(0.0, static_cast<double>(started.msecsTo(last_write)) / 1000.0);
    return run;
}

bool removeJournal(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.exists() || file.remove())
        return true;
    if (error)
        *error = QObject::tr("Cannot delete the journal %1: %2").arg(path, file.errorString());
    return false;
}

} // namespace compilescope
