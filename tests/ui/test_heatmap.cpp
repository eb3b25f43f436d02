// The heatmap paints a speedup whose confidence interval includes 1.0x neutral, with its value printed; its tooltip
// describes the cell under the mouse, also after a redraw.
#include "run_store.h"
#include "speedup_heatmap.h"
#include "test_support.h"

#include "compilescope/statistics.h"

#include <catch2/catch.hpp>

#include <QCursor>
#include <QTest>
#include <QToolTip>

#include <cmath>
#include <qcustomplot.h>

using namespace compilescope;

TEST_CASE("the heatmap draws a speedup whose interval includes 1.0x neutral, with its value", "[ui][heatmap]")
{
    RunResult run = test::sampleRun();
    // d_model 16 x seq_len 256, forward, torchscript: about 4% faster on average, but spread so wide that the
    // interval spans 1.0x. Every other cell is a clear 1.04x.
    for (Measurement& m : run.measurements) {
        if (m.variant == "torchscript" && m.phase == Phase::forward && m.cell.d_model == 16 && m.cell.seq_len == 256) {
            const double base = m.stats.mean_ms;
            m.samples_ms = { base * 0.5, base * 1.5, base * 0.7, base * 1.3, base * 0.9, base * 0.6, base * 1.4,
                base * 0.8, base * 1.2, base * 1.0 };
            m.stats = summarize(m.samples_ms);
        }
    }
    RunStore store;
    store.setRun(run);
    SpeedupHeatmap heatmap(store);
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    auto* map = qobject_cast<QCPColorMap*>(heatmap.plot()->plottable(0));
    REQUIRE(map);
    // Rows are d_model (16, 32), columns seq_len (256, 1024).
    CHECK(map->data()->cell(0, 0) == 1.0);
    CHECK(map->data()->cell(1, 0) > 1.02);
    CHECK(map->data()->cell(0, 1) > 1.02);
    QStringList labels;
    for (int i = 0; i < heatmap.plot()->itemCount(); ++i) {
        if (auto* text = qobject_cast<QCPItemText*>(heatmap.plot()->item(i)))
            labels << text->text();
    }
    REQUIRE(labels.size() == 4);
    CHECK(labels.filter(QStringLiteral("~")).size() == 1);
    CHECK(labels.filter(QStringLiteral("~")).first().endsWith(QStringLiteral("x")));
}

TEST_CASE("a heatmap of a single d_model or seq_len is painted, not blank", "[ui][heatmap]")
{
    RunStore store;
    store.setRun(test::sampleRunOfOneDModel());
    SpeedupHeatmap heatmap(store);
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    auto* map = qobject_cast<QCPColorMap*>(heatmap.plot()->plottable(0));
    REQUIRE(map);
    // Two data rows a half apart hold the one d_model row, so the map has a height to draw.
    REQUIRE(map->data()->valueSize() == 2);
    CHECK(map->data()->valueRange().size() > 0);
    for (int column = 0; column < 2; ++column) {
        CHECK(map->data()->cell(column, 0) == map->data()->cell(column, 1));
        CHECK_FALSE(std::isnan(map->data()->cell(column, 0)));
    }
    // And it reaches the screen: hiding the map changes the picture.
    const auto render = [&] { return heatmap.plot()->toPixmap(600, 400).toImage(); };
    const QImage with_map = render();
    map->setVisible(false);
    CHECK(render() != with_map);
}

namespace {

/// Exposes a cell's tooltip.
class ProbedHeatmap : public SpeedupHeatmap {
public:
    using SpeedupHeatmap::SpeedupHeatmap;
    using SpeedupHeatmap::tooltipAt;
};

int itemsNamed(QCustomPlot* plot, const QString& name)
{
    int count = 0;
    for (int i = 0; i < plot->itemCount(); ++i)
        count += plot->item(i)->objectName() == name ? 1 : 0;
    return count;
}

} // namespace

TEST_CASE(
    "the heatmap paints a speedup from too few samples neutral and cross-hatched, and says why", "[ui][heatmap][few]")
{
    RunResult run = test::sampleRun();
    // d_model 16 x seq_len 256, forward, torchscript: a clear 1.04x, but from 3 samples.
    for (Measurement& m : run.measurements) {
        if (m.variant == "torchscript" && m.phase == Phase::forward && m.cell.d_model == 16 && m.cell.seq_len == 256) {
            m.samples_ms.resize(3);
            m.stats = summarize(m.samples_ms);
        }
    }
    RunStore store;
    store.setRun(run);
    ProbedHeatmap heatmap(store);
    heatmap.resize(800, 600);
    heatmap.show();
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    heatmap.plot()->replot(QCustomPlot::rpImmediateRefresh);
    auto* map = qobject_cast<QCPColorMap*>(heatmap.plot()->plottable(0));
    REQUIRE(map);
    CHECK(map->data()->cell(0, 0) == 1.0); // the colour of 1.0x: no claim
    CHECK(map->data()->cell(1, 0) > 1.02);
    CHECK(itemsNamed(heatmap.plot(), QStringLiteral("noIntervalHatch")) == 1);
    CHECK(itemsNamed(heatmap.plot(), QStringLiteral("noisyHatch")) == 0);
    const QString tooltip
        = heatmap.tooltipAt(QPointF(heatmap.plot()->xAxis->coordToPixel(0), heatmap.plot()->yAxis->coordToPixel(0)));
    INFO(tooltip.toStdString());
    CHECK(tooltip.contains(QStringLiteral("no interval: fewer than 10 samples on a side")));
    CHECK(tooltip.contains(QStringLiteral("n 10 and 3")));
    CHECK_FALSE(tooltip.contains(QStringLiteral("95% CI")));
}

TEST_CASE(
    "the heatmap paints a speedup with a side on the time-slice grid neutral and cross-hatched", "[ui][heatmap][grid]")
{
    RunResult run = test::sampleRun();
    for (Measurement& m : run.measurements) {
        if (m.variant == "eager" && m.phase == Phase::forward && m.cell.d_model == 32 && m.cell.seq_len == 1024) {
            // Whole 4-ms ticks of waiting for the CPU under 0.1 ms of work.
            m.samples_ms.clear();
            for (int ticks : { 11, 12, 13, 12, 11, 12, 13, 11, 12, 12, 11, 13 })
                m.samples_ms.push_back(0.1 + 4.0 * ticks);
            m.stats = summarize(m.samples_ms);
        }
    }
    RunStore store;
    store.setRun(run);
    ProbedHeatmap heatmap(store);
    heatmap.resize(800, 600);
    heatmap.show();
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    heatmap.plot()->replot(QCustomPlot::rpImmediateRefresh);
    auto* map = qobject_cast<QCPColorMap*>(heatmap.plot()->plottable(0));
    REQUIRE(map);
    CHECK(map->data()->cell(1, 1) == 1.0); // seq_len 1024, d_model 32
    CHECK(itemsNamed(heatmap.plot(), QStringLiteral("noIntervalHatch")) == 1);
    const QString tooltip
        = heatmap.tooltipAt(QPointF(heatmap.plot()->xAxis->coordToPixel(1), heatmap.plot()->yAxis->coordToPixel(1)));
    INFO(tooltip.toStdString());
    CHECK(tooltip.contains(QStringLiteral("time-slice grid")));
}

TEST_CASE("a heatmap tooltip follows the cells when a live sweep redraws them under a resting mouse", "[ui][heatmap]")
{
    RunStore store;
    store.setRun(test::sampleRunOfOneDModel()); // one row: d_model 16
    SpeedupHeatmap heatmap(store);
    heatmap.resize(800, 600);
    heatmap.show();
    REQUIRE(QTest::qWaitForWindowExposed(&heatmap));
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    QCustomPlot* plot = heatmap.plot();
    // A quarter down the grid: d_model 16 while it is the only row, d_model 32 once the run has two.
    const QRect grid = plot->axisRect()->rect();
    const QPoint pixel(grid.left() + grid.width() / 4, grid.top() + grid.height() / 4);
    QCursor::setPos(plot->mapToGlobal(pixel));
    REQUIRE(test::waitUntil([&] { return QCursor::pos() == plot->mapToGlobal(pixel); }, 2000));
    QTest::mouseMove(plot, pixel);
    REQUIRE(test::waitUntil([] { return QToolTip::isVisible(); }, 2000));
    CHECK(QToolTip::text().startsWith(QStringLiteral("d_model 16 · seq_len 256")));

    // The sweep goes on, the mouse stays: the rows move under it.
    store.setRun(test::sampleRun());
    REQUIRE(test::waitUntil([&] { return !QToolTip::text().startsWith(QStringLiteral("d_model 16")); }, 2000));
    CHECK(QToolTip::isVisible());
    CHECK(QToolTip::text().startsWith(QStringLiteral("d_model 32 · seq_len 256")));

    // A new sweep starts: nothing measured yet, and no tooltip of the last run's cells.
    RunResult started = test::sampleRun();
    started.measurements.clear();
    store.setRun(started);
    REQUIRE(test::waitUntil([] { return !QToolTip::isVisible(); }, 2000));
}

TEST_CASE("a heatmap title wider than the chart breaks into lines that fit it", "[ui][heatmap]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    SpeedupHeatmap heatmap(store);
    heatmap.resize(900, 600); // the chart's width in a 1366-pixel window
    heatmap.show();
    REQUIRE(QTest::qWaitForWindowExposed(&heatmap));
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    auto* title = qobject_cast<QCPTextElement*>(heatmap.plot()->plotLayout()->element(0, 0));
    REQUIRE(title);
    const QStringList lines = title->text().split(QLatin1Char('\n'));
    CHECK(lines.size() >= 3);
    const QFontMetrics metrics(title->font());
    for (const QString& line : lines) {
        INFO(line.toStdString());
        CHECK(metrics.horizontalAdvance(line) <= heatmap.plot()->width());
    }
    // Nothing is lost in the breaking: every word of the key is there.
    CHECK(title->text().simplified().contains(QStringLiteral("cross-hatched: no interval")));
}
