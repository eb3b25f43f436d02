// The Roofline tab: a marker per placed measurement, the device's two roofs, an arrow from eager to each compiled
// variant of the same cell, log axes, and an explanation instead of empty axes when the run has no peaks.
#include "chart_export.h"
#include "main_window.h"
#include "roofline_chart.h"
#include "run_store.h"
#include "test_support.h"

#include "compilescope/roofline.h"

#include <catch2/catch.hpp>
#include <qcustomplot.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace compilescope;

namespace {

Measurement measured(
    int64_t d_model, int64_t seq_len, const std::string& variant, double flops, double bytes, double median_ms)
{
    Measurement m;
    m.cell = { Workload::attention, 8, d_model, seq_len };
    m.phase = Phase::forward;
    m.variant = variant;
    m.flops = flops;
    m.bytes = bytes;
    m.stats.median_ms = median_ms;
    m.stats.mean_ms = median_ms;
    m.stats.n = 5;
    return m;
}

/// Peaks of 1 TFLOP/s and 100 GB/s (ridge at 10 FLOP/B). Two cells measured by eager and torchscript, one
/// compute-bound, one memory-bound; a third cell whose eager failed (its torchscript point has no arrow); a fourth
/// without a FLOP/byte estimate (not placed).
RunResult rooflineRun()
{
    RunResult run;
    run.config.workloads = { Workload::attention };
    run.config.device = Device::cpu;
    run.config.attention.d_models = { 64, 128 };
    run.config.attention.seq_lens = { 256, 1024 };
    run.environment.peaks = { 1e12, 1e11, "measured: test peaks" };
    // intensity 20 FLOP/B: eager 0.2 TFLOP/s, torchscript 0.4 TFLOP/s (roof 1 TFLOP/s).
    run.measurements.push_back(measured(64, 256, "eager", 2e9, 1e8, 10));
    run.measurements.push_back(measured(64, 256, "torchscript", 2e9, 1e8, 5));
    // intensity 2 FLOP/B: eager 50 GFLOP/s, torchscript 125 GFLOP/s (roof 200 GFLOP/s).
    run.measurements.push_back(measured(128, 256, "eager", 1e9, 5e8, 20));
    run.measurements.push_back(measured(128, 256, "torchscript", 1e9, 5e8, 8));
    // intensity 40 FLOP/B, torchscript 0.25 TFLOP/s.
    Measurement failed = measured(64, 1024, "eager", 4e9, 1e8, 0);
    failed.status = MeasurementStatus::failed;
    failed.message = "out of memory";
    run.measurements.push_back(failed);
    run.measurements.push_back(measured(64, 1024, "torchscript", 4e9, 1e8, 16));
    run.measurements.push_back(measured(128, 1024, "eager", 0, 0, 30));
    run.measurements.push_back(measured(128, 1024, "torchscript", 0, 0, 25));
    return run;
}

std::vector<QCPGraph*> graphsNamed(QCustomPlot* plot, const QString& name)
{
    std::vector<QCPGraph*> found;
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->objectName() == name)
            found.push_back(plot->graph(i));
    }
    return found;
}

template <typename Item> std::vector<Item*> itemsNamed(QCustomPlot* plot, const QString& name)
{
    std::vector<Item*> found;
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto* item = qobject_cast<Item*>(plot->item(i));
        if (item && item->objectName() == name)
            found.push_back(item);
    }
    return found;
}

int pointCount(QCustomPlot* plot)
{
    int count = 0;
    for (QCPGraph* graph : graphsNamed(plot, QStringLiteral("rooflinePoints")))
        count += graph->dataCount();
    return count;
}

/// Exposes the hover text of the point nearest a pixel.
class ProbedRoofline : public RooflineChart {
public:
    using RooflineChart::RooflineChart;
    using RooflineChart::tooltipAt;
};

} // namespace

TEST_CASE("the roofline places each measurement under the device's roofs, with arrows from eager", "[ui][roofline]")
{
    const RunResult run = rooflineRun();
    int placeable = 0;
    for (const Measurement& m : run.measurements)
        placeable += roofline_point(run, m) ? 1 : 0;
    REQUIRE(placeable == 5);

    RunStore store;
    store.setRun(run);
    ProbedRoofline chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    QCustomPlot* plot = chart.plot();

    // One marker per placed measurement, one graph (and legend entry) per variant.
    CHECK(pointCount(plot) == placeable);
    CHECK(graphsNamed(plot, QStringLiteral("rooflinePoints")).size() == 2);
    CHECK(plot->legend->itemCount() == 2);

    // The roof: up the memory roof to the ridge (10 FLOP/B, 1 TFLOP/s), then flat.
    const auto roofs = graphsNamed(plot, QStringLiteral("roofline"));
    REQUIRE(roofs.size() == 1);
    REQUIRE(roofs.front()->dataCount() == 3);
    const auto ridge = roofs.front()->data()->at(1);
    CHECK(ridge->key == Approx(10.0));
    CHECK(ridge->value == Approx(1e12));
    const auto left = roofs.front()->data()->at(0);
    CHECK(left->value == Approx(left->key * 1e11));
    CHECK(roofs.front()->data()->at(2)->value == Approx(1e12));

    // Arrows only where the eager partner was placed: two cells, not the one whose eager failed.
    const auto arrows = itemsNamed<QCPItemLine>(plot, QStringLiteral("rooflineArrow"));
    REQUIRE(arrows.size() == 2);
    for (QCPItemLine* arrow : arrows) {
        CHECK(arrow->head().style() == QCPLineEnding::esSpikeArrow);
        CHECK(arrow->end->coords().y() > arrow->start->coords().y()); // torchscript is faster: toward the roof
    }

    CHECK(plot->xAxis->scaleType() == QCPAxis::stLogarithmic);
    CHECK(plot->yAxis->scaleType() == QCPAxis::stLogarithmic);
    CHECK(!plot->xAxis->ticker().dynamicCast<QCPAxisTickerLog>().isNull());
    CHECK(!plot->yAxis->ticker().dynamicCast<QCPAxisTickerLog>().isNull());
    // The ranges cover every point and the ridge.
    CHECK(plot->xAxis->range().contains(2.0));
    CHECK(plot->xAxis->range().contains(40.0));
    CHECK(plot->yAxis->range().contains(5e10));
    CHECK(plot->yAxis->range().contains(1e12));
    CHECK(itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineEmpty")).empty());

    // The roofs are labelled, and the caption names the peaks' source.
    const auto caption = itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineCaption"));
    REQUIRE(caption.size() == 1);
    // (Broken into lines for the width of a chart never shown: read as one text.)
    CHECK(caption.front()->text().simplified().contains(QStringLiteral("measured: test peaks")));
    CHECK(caption.front()->text().simplified().contains(QStringLiteral("not shown: 2")));
    CHECK(itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineComputeLabel")).front()->text()
        == QStringLiteral("compute 1 TFLOP/s"));
    CHECK(itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineMemoryLabel")).front()->text()
        == QStringLiteral("memory 100 GB/s"));

    // Hovering a point names it.
    chart.resize(1000, 650);
    chart.show();
    QApplication::processEvents();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const QString text = chart.tooltipAt(QPointF(plot->xAxis->coordToPixel(2.0), plot->yAxis->coordToPixel(1.25e11)));
    CHECK(text.contains(QStringLiteral("d_model=128 seq_len=256")));
    CHECK(text.contains(QStringLiteral("torchscript")));
    CHECK(text.contains(QStringLiteral("125 GFLOP/s")));
    CHECK(text.contains(QStringLiteral("memory-bound")));
    CHECK(text.contains(QStringLiteral("62.5% of the roof")));
    CHECK(text.contains(QStringLiteral("2.50x over eager")));
}

TEST_CASE("the roofline explains, instead of drawing empty axes, a run without device peaks", "[ui][roofline]")
{
    RunResult run = rooflineRun();
    run.environment.peaks = {};
    RunStore store;
    store.setRun(run);
    RooflineChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    QCustomPlot* plot = chart.plot();

    CHECK(pointCount(plot) == 0);
    CHECK(graphsNamed(plot, QStringLiteral("roofline")).empty());
    CHECK(itemsNamed<QCPItemLine>(plot, QStringLiteral("rooflineArrow")).empty());
    const auto empty = itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineEmpty"));
    REQUIRE(empty.size() == 1);
    CHECK(empty.front()->text().contains(QStringLiteral("no device peaks")));
    CHECK(!plot->xAxis->visible());
    CHECK(!plot->legend->visible());

    // Peaks again (a newer run): the axes come back and the explanation goes.
    run.environment.peaks = { 1e12, 1e11, "measured: test peaks" };
    store.setRun(run);
    chart.rebuildNow();
    CHECK(pointCount(plot) == 5);
    CHECK(plot->xAxis->visible());
    CHECK(itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineEmpty")).empty());
}

TEST_CASE("a live run's points are placed before its peaks arrive, and the roofs when they do", "[ui][roofline]")
{
    const RunResult finished = rooflineRun();
    RunStore store;
    store.beginLiveRun(finished.config, Environment {});
    RooflineChart chart(store);
    store.appendMeasurement(finished.measurements[0]);
    store.appendMeasurement(finished.measurements[1]);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    CHECK(pointCount(chart.plot()) == 2);
    CHECK(graphsNamed(chart.plot(), QStringLiteral("roofline")).empty());
    CHECK(itemsNamed<QCPItemLine>(chart.plot(), QStringLiteral("rooflineArrow")).size() == 1);

    store.finishLiveRun(finished);
    chart.rebuildNow();
    CHECK(pointCount(chart.plot()) == 5);
    CHECK(graphsNamed(chart.plot(), QStringLiteral("roofline")).size() == 1);
}

TEST_CASE("the roofline exports as PNG and is a tab of the main window", "[ui][roofline]")
{
    RunStore store;
    store.setRun(rooflineRun());
    RooflineChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    QTemporaryDir directory;
    const QString path = qEnvironmentVariable("COMPILESCOPE_ROOFLINE_PNG", directory.filePath("roofline.png"));
    CHECK(saveChartPng(chart.plot(), path, ChartImageSize {}).isEmpty());
    CHECK(QFileInfo(path).size() > 10000);

    MainWindow window;
    QTabWidget* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    REQUIRE(tabs);
    CHECK(tabs->indexOf(window.rooflineChart()) >= 0);
}

TEST_CASE("the roofline stays quick with hundreds of points", "[ui][roofline]")
{
    RunResult run = rooflineRun();
    run.measurements.clear();
    run.config.variants = { "eager", "torchscript", "torch-compile", "aot-inductor" };
    for (int64_t d = 1; d <= 10; ++d) {
        for (int64_t s = 1; s <= 10; ++s) {
            const double flops = 1e8 * double(d * s);
            const double bytes = 1e7 * double(d + s);
            for (size_t v = 0; v < run.config.variants.size(); ++v)
                run.measurements.push_back(
                    measured(16 * d, 64 * s, run.config.variants[v], flops, bytes, 1.0 / double(v + 1)));
        }
    }
    RunStore store;
    store.setRun(run);
    RooflineChart chart(store);
    chart.resize(1200, 700);
    chart.show();
    QElapsedTimer clock;
    clock.start();
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const qint64 elapsed_ms = clock.elapsed();
    INFO("rebuild and replot of 400 points: " << elapsed_ms << " ms");
    CHECK(pointCount(chart.plot()) == 400);
    CHECK(itemsNamed<QCPItemLine>(chart.plot(), QStringLiteral("rooflineArrow")).size() == 300);
    CHECK(elapsed_ms < 2000 * test::time_factor);
}

TEST_CASE("the roofline's caption breaks its lines for the width it is drawn at", "[ui][roofline]")
{
    RunResult run = rooflineRun();
    // The source this machine's peaks record: wider than the chart at 1366 pixels, where its end was cut off.
    run.environment.peaks.source = "measured: best of 5 1536x1536 fp32 matrix products and 128 MiB copies (read + "
                                   "write), at 2 threads (cached)";
    RunStore store;
    store.setRun(run);
    RooflineChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    QCustomPlot* plot = chart.plot();
    const auto captionLines = [&] {
        const auto caption = itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineCaption"));
        REQUIRE(caption.size() == 1);
        return caption.front()->text().split(QLatin1Char('\n'));
    };
    const auto widest = [&](const QStringList& lines) {
        const QFontMetrics metrics(itemsNamed<QCPItemText>(plot, QStringLiteral("rooflineCaption")).front()->font());
        int widest = 0;
        for (const QString& line : lines)
            widest = std::max(widest, metrics.horizontalAdvance(line));
        return widest;
    };
    for (const int width : { 700, 1400 }) {
        INFO("chart width " << width);
        chart.resize(width, 600);
        chart.show();
        QApplication::processEvents();
        chart.rebuildNow();
        const QStringList lines = captionLines();
        CHECK(widest(lines) <= plot->axisRect()->width());
        CHECK(lines.join(QLatin1Char(' ')).contains(QStringLiteral("at 2 threads (cached)")));
        if (width == 1400)
            CHECK(lines.size() == 3); // ridge and peaks, arrows, not shown: unbroken where there is room
    }
}
