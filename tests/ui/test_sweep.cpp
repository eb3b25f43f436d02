// Real sweeps through the worker process: order of delivery, charts, event-loop latency, cancel, close.
#include <catch2/catch.hpp>

#include "config_panel.h"
#include "latency_chart.h"
#include "main_window.h"
#include "results_table_model.h"
#include "results_view.h"
#include "run_controls.h"
#include "run_store.h"
#include "speedup_chart.h"
#include "speedup_heatmap.h"
#include "sweep_controller.h"
#include "test_support.h"

#include "compilescope/sweep_plan.h"

#include <QAction>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <qcustomplot.h>

#include <algorithm>

using namespace compilescope;

namespace {

constexpr int sweep_timeout_ms = 240000;

std::unique_ptr<MainWindow> readyWindow(const SweepConfig& config)
{
    auto window = std::make_unique<MainWindow>();
    window->show();
    REQUIRE(test::waitUntil([&] { return window->hasCapabilities(); }, 60000));
    window->configPanel()->setConfig(config);
    REQUIRE(window->configPanel()->validationMessage().toStdString().empty());
    return window;
}

bool sameIdentity(const Measurement& a, const Measurement& b)
{
    return a.cell == b.cell && a.phase == b.phase && a.variant == b.variant;
}

} // namespace

TEST_CASE(
    "a real sweep through the worker arrives in order, fills the views and never blocks the event loop", "[ui][sweep]")
{
    const SweepConfig config = test::tinySweep();
    auto window = readyWindow(config);
    SweepController* controller = window->controller();
    QSignalSpy measurements(controller, &SweepController::measurementFinished);
    QSignalSpy progress(controller, &SweepController::progress);
    QSignalSpy finished(controller, &SweepController::finished);

    test::EventLoopProbe probe;
    probe.start();

    REQUIRE(window->startSweep());
    REQUIRE(finished.wait(sweep_timeout_ms));
    probe.stop();

    const int planned = planned_measurements(config);
    REQUIRE(planned == 12);
    const auto result = finished.takeFirst().at(0).value<RunResult>();
    REQUIRE(static_cast<int>(result.measurements.size()) == planned);
    REQUIRE(measurements.count() == planned);
    for (int i = 0; i < planned; ++i) {
        const auto live = measurements.at(i).at(0).value<Measurement>();
        INFO("measurement " << i);
        CHECK(sameIdentity(live, result.measurements[static_cast<size_t>(i)]));
        CHECK(live.ok());
    }
    int previous = -1;
    for (const QList<QVariant>& arguments : progress) {
        const auto value = arguments.at(0).value<SweepProgress>();
        CHECK(value.completed >= previous);
        CHECK(value.total == planned);
        previous = value.completed;
    }
    // The event loop must never be blocked for more than 50 ms. On a loaded machine the OS alone can keep the
    // thread off the CPU that long; that wait is the scheduler's, not the program's, and is taken out where known.
    WARN("event loop: worst gap between 10 ms ticks " << probe.worstGapMs() << " ms, of which not waiting for a CPU "
                                                      << probe.worstBlockedGapMs() << " ms");
    CHECK(probe.worstBlockedGapMs() <= 50 * test::time_factor);

    CHECK(window->resultsView()->model()->rowCount() == planned);

    LatencyChart* latency = window->latencyChart();
    latency->setView({ Workload::attention, Phase::forward });
    QCustomPlot* plot = latency->plot();
    const std::vector<QCPGraph*> curves = test::curveGraphs(plot);
    REQUIRE(curves.size() == 2); // d_model 16 x {eager, torchscript}
    for (QCPGraph* graph : curves) {
        REQUIRE(graph->data()->size() == 2);
        CHECK(graph->data()->at(0)->key == 32);
        CHECK(graph->data()->at(1)->key == 64);
        CHECK(graph->data()->at(0)->value > 0);
    }
    CHECK(curves[0]->name().contains(QStringLiteral("eager")));
    CHECK(curves[1]->name().contains(QStringLiteral("torchscript")));
    // Two timed iterations each: too few for a bar, so every point is ringed instead.
    CHECK(plot->graphCount() == 4);
    CHECK(latency->availableViews().size() == 3); // forward, backward, forward+backward

    SpeedupChart* speedup = window->speedupChart();
    speedup->setView({ Workload::attention, Phase::backward });
    REQUIRE(speedup->plot()->legend->itemCount() == 1); // torchscript over eager
    CHECK(speedup->plot()->graph(0)->data()->size() == 2);
    // The markers sit on overlays: filled for a result, hollow within noise or without an interval (two samples:
    // too few, and ringed too); together they hold every point.
    int markers = 0;
    int ringed = 0;
    for (int i = 1; i < speedup->plot()->graphCount(); ++i) {
        QCPGraph* graph = speedup->plot()->graph(i);
        (graph->objectName() == QStringLiteral("noIntervalRings") ? ringed : markers) += graph->data()->size();
    }
    CHECK(markers == 2);
    CHECK(ringed == 2);

    SpeedupHeatmap* heatmap = window->heatmap();
    heatmap->rebuildNow();
    CHECK(heatmap->variant() == QStringLiteral("torchscript"));
    auto* map = qobject_cast<QCPColorMap*>(heatmap->plot()->plottable(0));
    REQUIRE(map);
    CHECK(map->data()->keySize() == 2);
    // One d_model row, held by two data rows so that QCPColorMap gives it a height (see SpeedupHeatmap::rebuild).
    CHECK(map->data()->valueSize() == 2);
    CHECK(map->data()->cell(0, 0) == map->data()->cell(0, 1));
    int labels = 0;
    for (int i = 0; i < heatmap->plot()->itemCount(); ++i)
        labels += qobject_cast<QCPItemText*>(heatmap->plot()->item(i)) ? 1 : 0;
    CHECK(labels == 2); // the value printed in each cell (noisy cells also get a hatch)
}

TEST_CASE("cancel mid-sweep keeps the finished measurements", "[ui][sweep]")
{
    SweepConfig config = test::tinySweep();
    config.attention.seq_lens = { 32, 64, 128, 256, 512 };
    config.measure.fixed_iters = 30;
    auto window = readyWindow(config);
    QSignalSpy measurements(window->controller(), &SweepController::measurementFinished);
    QSignalSpy ended(window.get(), &MainWindow::sweepEnded);

    REQUIRE(window->startSweep());
    REQUIRE(test::waitUntil([&] { return measurements.count() >= 2; }, sweep_timeout_ms));
    std::vector<Measurement> before_cancel;
    for (const QList<QVariant>& arguments : measurements)
        before_cancel.push_back(arguments.at(0).value<Measurement>());
    window->cancelSweep();
    REQUIRE(ended.wait(sweep_timeout_ms));

    const RunResult& run = window->store().run();
    CHECK(run.cancelled);
    const auto ok
        = std::count_if(run.measurements.begin(), run.measurements.end(), [](const Measurement& m) { return m.ok(); });
    CHECK(ok >= static_cast<long>(before_cancel.size()));
    CHECK(ok < planned_measurements(config));
    REQUIRE(run.measurements.size() >= before_cancel.size());
    for (size_t i = 0; i < before_cancel.size(); ++i)
        CHECK(sameIdentity(run.measurements[i], before_cancel[i]));
    CHECK_FALSE(window->isSweepRunning());
    CHECK(window->runControls()->runAction()->isEnabled());
}

TEST_CASE("closing the window during a sweep cancels it and closes cleanly", "[ui][sweep]")
{
    SweepConfig config = test::tinySweep();
    config.attention.seq_lens = { 32, 64, 128, 256, 512 };
    config.measure.fixed_iters = 30;

    SECTION("close: the window waits for the sweep to stop, then closes")
    {
        auto window = readyWindow(config);
        QSignalSpy measurements(window->controller(), &SweepController::measurementFinished);
        REQUIRE(window->startSweep());
        REQUIRE(test::waitUntil([&] { return measurements.count() >= 1; }, sweep_timeout_ms));
        CHECK_FALSE(window->close()); // refused for now: the sweep is cancelled first
        REQUIRE(test::waitUntil([&] { return !window->isVisible(); }, sweep_timeout_ms));
        CHECK_FALSE(window->isSweepRunning());
        CHECK(window->store().run().cancelled);
        CHECK_FALSE(window->store().run().measurements.empty());
    }
    SECTION("destroying the window mid-sweep ends the worker at once")
    {
        auto window = readyWindow(config);
        QSignalSpy measurements(window->controller(), &SweepController::measurementFinished);
        REQUIRE(window->startSweep());
        REQUIRE(test::waitUntil([&] { return measurements.count() >= 1; }, sweep_timeout_ms));
        QElapsedTimer timer;
        timer.start();
        window.reset();
        INFO("destruction took " << timer.elapsed() << " ms");
        CHECK(timer.elapsed() < 3000 * test::time_factor);
    }
}

TEST_CASE("cancelling inside a long iteration ends the sweep within about a second, keeping what finished",
    "[ui][sweep][cancel]")
{
    // The cell: attention d_model 128 x seq_len 8192 on the CPU, seconds per forward iteration.
    SweepConfig config = test::tinySweep();
    config.attention.d_models = { 128 };
    config.attention.seq_lens = { 32, 8192 };
    config.attention.batch = 1; // 256 MiB of scores: slow, not large
    config.phases = { Phase::forward };
    auto window = readyWindow(config);
    QSignalSpy measurements(window->controller(), &SweepController::measurementFinished);
    QSignalSpy progress(window->controller(), &SweepController::progress);
    QSignalSpy ended(window.get(), &MainWindow::sweepEnded);
    REQUIRE(window->startSweep());
    // The small cell finishes; then the worker is inside the long cell (building, warming up or timing).
    REQUIRE(test::waitUntil([&] { return measurements.count() == 2; }, sweep_timeout_ms));
    REQUIRE(test::waitUntil(
        [&] {
            return !progress.isEmpty()
                && progress.last().at(0).value<SweepProgress>().current.find("seq_len=8192") != std::string::npos;
        },
        sweep_timeout_ms));
    QElapsedTimer timer;
    timer.start();
    window->cancelSweep();
    REQUIRE(ended.wait(10000));
    INFO("cancel took " << timer.elapsed() << " ms");
    CHECK(timer.elapsed() < 2500 * test::time_factor);
    const RunResult& run = window->store().run();
    CHECK(run.cancelled);
    CHECK(std::count_if(run.measurements.begin(), run.measurements.end(), [](const Measurement& m) { return m.ok(); })
        == 2);
}

TEST_CASE("measurements taken while the app was used carry a note saying so", "[ui][sweep][interactive]")
{
    const SweepConfig config = test::tinySweep();
    auto window = readyWindow(config);
    window->setConfirmDiscard(false); // two sweeps in a row
    QSignalSpy ended(window.get(), &MainWindow::sweepEnded);
    auto interactive = [](const Measurement& m) {
        return std::any_of(
            m.notes.begin(), m.notes.end(), [](const std::string& note) { return note.rfind("interactive:", 0) == 0; });
    };

    REQUIRE(window->startSweep());
    REQUIRE(ended.wait(sweep_timeout_ms));
    const RunResult& quiet = window->store().run();
    CHECK(std::none_of(quiet.measurements.begin(), quiet.measurements.end(), interactive));

    REQUIRE(window->startSweep());
    // Input through the window, as a user's keys and clicks arrive, while the first cell is measured.
    QTest::keyClick(window->windowHandle(), Qt::Key_Tab);
    REQUIRE(ended.wait(sweep_timeout_ms));
    const RunResult& used = window->store().run();
    REQUIRE_FALSE(used.measurements.empty());
    CHECK(interactive(used.measurements.front()));
    CHECK(interactive(used.measurements[1])); // the other variant of that cell and phase, timed in turns with it
}
