#include "run_history.h"

#include "run_export.h"
#include "run_store.h"

#include "compilescope/sweep_plan.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStringList>

namespace compilescope {

namespace {

const QString stamp_format = QStringLiteral("yyyyMMdd'T'HHmmss'Z'");

// <start, UTC>-<workloads>-<device>-<finished measurements>[-<n> when two runs started in the same second].json
const QRegularExpression& entryName()
{
    static const QRegularExpression pattern(
        QStringLiteral("^(\\d{8}T\\d{6}Z)-([a-z0-9_+]+)-([a-z]+)-(\\d+)(?:of(\\d+))?(?:-\\d+)?\\.json$"));
    return pattern;
}

QString baseName(const RunResult& run)
{
    QDateTime started = QDateTime::fromString(QString::fromStdString(run.started_at), Qt::ISODate);
    if (!started.isValid())
        started = QDateTime::currentDateTimeUtc();
    QStringList workloads;
    for (Workload workload : run.config.workloads)
        workloads << QString::fromStdString(to_string(workload));
    // "...-15of36": finished of planned, so that the menu can mark a partial run without reading the file.
    return QStringLiteral("%1-%2-%3-%4of%5")
        .arg(started.toUTC().toString(stamp_format), workloads.join(QLatin1Char('+')),
            QString::fromStdString(to_string(run.config.device)))
        .arg(finished_measurements(run))
        .arg(planned_measurements(run.config));
}

} // namespace

RunHistory::RunHistory(QString directory)
    : m_directory(std::move(directory))
{
}

QString RunHistory::defaultDirectory()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("history"));
}

QString RunHistory::save(const RunResult& run, QString* error) const
{
    if (!QDir().mkpath(m_directory)) {
        *error = QObject::tr("Could not create the history folder %1").arg(m_directory);
        return {};
    }
    const QDir directory(m_directory);
    const QString base = baseName(run);
    QString path = directory.filePath(base + QStringLiteral(".json"));
    for (int n = 2; QFile::exists(path); ++n)
        path = directory.filePath(QStringLiteral("%1-%2.json").arg(base).arg(n));
    if (const QString written = exportJson(run, path); !written.isEmpty()) {
        *error = written;
        return {};
    }
    const QList<HistoryEntry> kept = entries();
    for (qsizetype i = kept_runs; i < kept.size(); ++i)
        QFile::remove(kept[i].path);
    return path;
}

QList<HistoryEntry> RunHistory::entries() const
{
    const QDir directory(m_directory);
    QList<HistoryEntry> found;
    // The names start with the UTC start time, so name order is time order.
    const QStringList names
        = directory.entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name | QDir::Reversed);
    for (const QString& name : names) {
        const QRegularExpressionMatch match = entryName().match(name);
        if (!match.hasMatch())
            continue;
        QDateTime started = QDateTime::fromString(match.captured(1), stamp_format);
        started.setTimeSpec(Qt::UTC);
        found.append({ directory.filePath(name), started, match.captured(2), match.captured(3),
            match.captured(4).toInt(), match.captured(5).toInt() });
    }
    return found;
}

} // namespace compilescope
