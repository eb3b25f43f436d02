#include "run_export.h"

#include "compilescope/reports.h"
#include "latency_chart.h"
#include "roofline_chart.h"
#include "run_store.h"
#include "speedup_chart.h"
#include "speedup_heatmap.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <exception>
#include <memory>

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
    RunStore store;
    store.setRun(run);
    if (comparison)
        store.setBaseline(*comparison, {});
    std::vector<std::unique_ptr<ChartWidget>> charts;
    charts.push_back(std::make_unique<LatencyChart>(store));
    charts.push_back(std::make_unique<SpeedupChart>(store));
    charts.push_back(std::make_unique<SpeedupHeatmap>(store));
    charts.push_back(std::make_unique<RooflineChart>(store));

    QString links = QStringLiteral("\n## Charts\n");
    for (const ChartView& view : charts.front()->availableViews()) {
        links += QStringLiteral("\n### %1\n").arg(ChartWidget::viewLabel(view));
        for (const auto& chart : charts) {
            const auto views = chart->availableViews();
            if (std::find(views.begin(), views.end(), view) == views.end())
                continue;
            chart->setView(view);
            // The heatmap shows one variant at a time: one image for each.
            auto* heatmap = dynamic_cast<SpeedupHeatmap*>(chart.get());
            const QStringList variants = heatmap ? heatmap->variants() : QStringList { QString() };
            for (const QString& variant : variants) {
                if (heatmap)
                    heatmap->setVariant(variant);
                const QString suffix = variant.isEmpty() ? QString() : QLatin1Char('-') + variant;
                chart->fitTitle(size.width); // the image's width, not the screen's
                const QString file_name
                    = QStringLiteral("%1%2-%3-%4%5.png")
                          .arg(prefix, chart->fileStem(), QString::fromStdString(to_string(view.workload)),
                              QString::fromStdString(to_string(view.phase)), suffix);
                QString error = saveChartPng(chart->plot(), QDir(directory).filePath(file_name), size);
                if (!error.isEmpty())
                    return error;
                const QString label = variant.isEmpty()
                    ? ChartWidget::viewLabel(view)
                    : ChartWidget::viewLabel(view) + QStringLiteral(" · ") + variant;
                links += QStringLiteral("\n![%1 · %2](%3)\n").arg(chart->chartName(), label, file_name);
            }
        }
    }
    if (markdown_links)
        *markdown_links = links;
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
    return exportText(path, [&] { return reportMarkdown(run, comparison, comparison_path) + charts.toStdString(); });
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
