#include "run_export.h"

#include "compilescope/reports.h"
#include "report_chart_images.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <exception>

namespace compilescope {

namespace {

// Text reports are pure functions of the run; a bug in one must become a message, not a crash.
template <typename Render> QString exportText(const QString& path, Render render)
{
    try {
        return writeFileAtomically(path, QByteArray::fromStdString(render()));
    } catch (const std::exception& error) {
        return QObject::tr("Could not produce %1: %2")
            .arg(QFileInfo(path).fileName(), QString::fromStdString(error.what()));
    }
}

} // namespace

QString writeFileAtomically(const QString& path, const QByteArray& content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return QObject::tr("Could not write %1: %2").arg(path, file.errorString());
    return {};
}

QString writeChartImages(const RunResult& run, const RunResult* comparison, const QString& directory,
    const QString& prefix, const ChartImageSize& size, QString* markdown_links)
{
    ReportChartImages images(run, comparison, prefix, size);
    for (int index = 0; index < images.count(); ++index) {
        QString error = writePngAtomically(images.render(index), QDir(directory).filePath(images.fileName(index)));
        if (!error.isEmpty())
            return error;
    }
    if (markdown_links)
        *markdown_links = images.markdownLinks();
    return {};
}

std::string reportMarkdown(const RunResult& run, const RunResult* comparison, const QString& comparison_path)
{
    std::string markdown = full_markdown(run);
    if (comparison)
        markdown += "\n" + comparison_markdown(run, *comparison, comparison_path.toStdString());
    return markdown;
}

QString exportMarkdown(const RunResult& run, const RunResult* comparison, const QString& path, bool with_charts,
    const ChartImageSize& size, const QString& comparison_path)
{
    QString charts;
    if (with_charts) {
        const QFileInfo info(path);
        QString error = writeChartImages(
            run, comparison, info.absolutePath(), info.completeBaseName() + QLatin1Char('-'), size, &charts);
        if (!error.isEmpty())
            return error;
    }
    return writeReportMarkdown(run, comparison, comparison_path, path, charts);
}

QString writeReportMarkdown(const RunResult& run, const RunResult* comparison, const QString& comparison_path,
    const QString& path, const QString& charts_section)
{
    return exportText(
        path, [&] { return reportMarkdown(run, comparison, comparison_path) + charts_section.toStdString(); });
}

QString exportJson(const RunResult& run, const QString& path)
{
    return exportText(path, [&] { return to_json(run); });
}

QString exportCsv(const RunResult& run, const QString& path)
{
    return exportText(path, [&] { return to_csv(run); });
}

QString exportAll(
    const RunResult& run, const RunResult* comparison, const QString& directory, const QString& comparison_path)
{
    if (!QDir().mkpath(directory))
        return QObject::tr("Could not create the directory %1").arg(directory);
    const QDir dir(directory);
    QString error = exportMarkdown(
        run, comparison, dir.filePath(QStringLiteral("report.md")), true, ChartImageSize {}, comparison_path);
    if (error.isEmpty())
        error = exportJson(run, dir.filePath(QStringLiteral("run.json")));
    if (error.isEmpty())
        error = exportCsv(run, dir.filePath(QStringLiteral("results.csv")));
    return error;
}

} // namespace compilescope
