// What goes into documents: chart PNGs on a light background, the comparison run in the Markdown, and the Report
// tab's wrapping.
#include <catch2/catch.hpp>

#include "chart_export.h"
#include "chart_export_dialog.h"
#include "compilescope/reports.h"
#include "latency_chart.h"
#include "report_view.h"
#include "run_export.h"
#include "run_store.h"
#include "test_support.h"

#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <qcustomplot.h>

using namespace compilescope;

namespace {

QPalette darkPalette()
{
    QPalette palette(QColor(0x30, 0x30, 0x30));
    palette.setColor(QPalette::Base, QColor(0x20, 0x20, 0x20));
    palette.setColor(QPalette::Text, Qt::white);
    palette.setColor(QPalette::WindowText, Qt::white);
    return palette;
}

QString readText(const QString& path)
{
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    return QString::fromUtf8(file.readAll());
}

} // namespace

TEST_CASE("a light export draws the chart on white and leaves the screen dark", "[ui][export][light]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    LatencyChart chart(store);
    chart.setPalette(darkPalette());
    chart.rebuildNow();
    QTemporaryDir dir;
    const QString dark_png = dir.filePath(QStringLiteral("dark.png"));
    const QString light_png = dir.filePath(QStringLiteral("light.png"));
    REQUIRE(saveChartPng(chart.plot(), dark_png, { 600, 400, 1.0 }).isEmpty());
    ChartImageSize light { 600, 400, 1.0 };
    light.light_background = true;
    REQUIRE(saveChartPng(chart.plot(), light_png, light).isEmpty());

    CHECK(QImage(dark_png).pixelColor(2, 2).lightnessF() < 0.3);
    CHECK(QImage(light_png).pixelColor(2, 2) == QColor(Qt::white));
    // Inside the axis rect too: the Base colour of the light palette.
    const QRect rect = chart.plot()->axisRect()->rect();
    CHECK(QImage(light_png).pixelColor(rect.center().x(), rect.top() + 3).lightnessF() > 0.9);

    // On screen the chart keeps its own (dark) palette.
    CHECK(chart.palette().color(QPalette::Window) == darkPalette().color(QPalette::Window));
    CHECK(chart.plot()->axisRect()->backgroundBrush().color() == darkPalette().color(QPalette::Base));
}

TEST_CASE("chart export dialog offers the light background", "[ui][export][light]")
{
    ChartImageSize initial;
    initial.light_background = true;
    ChartExportDialog dialog(initial, true);
    auto* light = dialog.findChild<QCheckBox*>(QStringLiteral("lightBackground"));
    REQUIRE(light != nullptr);
    CHECK(light->text().contains(QStringLiteral("for documents")));
    CHECK(dialog.size().light_background);
    light->setChecked(false);
    CHECK_FALSE(dialog.size().light_background);
}

TEST_CASE("the Markdown export names the comparison run and gives the ratios", "[ui][export][comparison]")
{
    const RunResult run = test::sampleRun();
    RunResult comparison = run;
    comparison.config.threads = run.config.threads + 3;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.md"));
    REQUIRE(exportMarkdown(run, &comparison, path, false, {}, QStringLiteral("/runs/before.json")).isEmpty());
    const QString text = readText(path);
    CHECK(text.startsWith(QString::fromStdString(full_markdown(run))));
    CHECK(text.contains(QStringLiteral("## Comparison run")));
    CHECK(text.contains(QStringLiteral("`/runs/before.json`")));
    CHECK(text.contains(QStringLiteral("| 1.00x |")));
    CHECK(text.contains(QStringLiteral("| config.threads |")));

    // Without a comparison run the report is the core's, unchanged.
    REQUIRE(exportMarkdown(run, nullptr, path, false, {}).isEmpty());
    CHECK(readText(path) == QString::fromStdString(full_markdown(run)));
}

TEST_CASE("Report tab wraps at word boundaries only and shows the comparison run", "[ui][report]")
{
    RunStore store;
    const RunResult run = test::sampleRun();
    store.setRun(run);
    ReportView view(store);
    auto* browser = view.findChild<QTextBrowser*>(QStringLiteral("reportBrowser"));
    REQUIRE(browser != nullptr);
    CHECK(browser->wordWrapMode() == QTextOption::WordWrap);

    view.refreshNow();
    CHECK_FALSE(view.markdown().contains(QStringLiteral("## Comparison run")));
    store.setBaseline(run, QStringLiteral("before.json"));
    view.refreshNow();
    CHECK(view.markdown().contains(QStringLiteral("`before.json`")));
}
