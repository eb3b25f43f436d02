// Measurements taken under load are marked in the charts and the Results, and Run ▸ Re-run marked cells measures
// them again in the worker, with every variant of their cell and phase, replacing them in the run on screen.
#include <catch2/catch.hpp>

#include "chart_data.h"
#include "chart_style.h"
#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/rerun.h"
#include "compilescope/run_json.h"
#include "config_panel.h"
#include "latency_chart.h"
#include "main_window.h"
#include "results_table_model.h"
#include "run_controls.h"
#include "run_store.h"
#include "speedup_chart.h"
#include "speedup_heatmap.h"
#include "sweep_controller.h"
#include "test_support.h"

#include <QAction>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <qcustomplot.h>

#include <sys/stat.h>

using namespace compilescope;

namespace {

constexpr int sweep_timeout_ms = 240000;

MachineLoad machineLoad(double others_cpu_share)
{
    MachineLoad load;
    load.others_cpu_share = others_cpu_share;
    load.cpus = 2;
    load.window_s = 1.0;
    load.involuntary_switches_per_s = 200;
    return load;
}

bool isMarked(const Measurement& m, const std::string& variant)
{
    return m.variant == variant && m.phase == Phase::forward && m.cell.d_model == 16 && m.cell.seq_len == 256;
}

/// The sample run (or `base`), every load read: the d_model 16 seq_len 256 forward of `variant` under load, the rest
/// calm.
RunResult runWithLoad(const std::string& variant, RunResult run = test::sampleRun())
{
    for (Measurement& m : run.measurements)
        m.load = machineLoad(isMarked(m, variant) ? 0.6 : 0.01);
    return run;
}

QCPGraph* underLoadGraph(QCustomPlot* plot)
{
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->name() == underLoadLegendText())
            return plot->graph(i);
    }
    return nullptr;
}

int itemsNamed(QCustomPlot* plot, const QString& name)
{
    int count = 0;
    for (int i = 0; i < plot->itemCount(); ++i)
        count += plot->item(i)->objectName() == name ? 1 : 0;
    return count;
}

class ProbedLatencyChart : public LatencyChart {
public:
    using LatencyChart::LatencyChart;
    using LatencyChart::tooltipAt;
};

class ProbedHeatmap : public SpeedupHeatmap {
public:
    using SpeedupHeatmap::SpeedupHeatmap;
    using SpeedupHeatmap::tooltipAt;
};

std::string asJson(const Measurement& m)
{
    return run_json::dump(run_json::Json(m));
}

} // namespace

TEST_CASE("a speedup is marked under load when its variant or its baseline was measured under load", "[ui][rerun]")
{
    for (const char* variant : { "torchscript", "eager" }) {
        INFO(variant);
        const RunResult run = runWithLoad(variant);
        for (const Measurement& m : run.measurements) {
            if (m.variant != "torchscript")
                continue;
            const auto point = speedupPoint(run, m, Centre::median);
            REQUIRE(point);
            CHECK(point->under_load == (m.phase == Phase::forward && m.cell.d_model == 16 && m.cell.seq_len == 256));
        }
    }
}

TEST_CASE("the latency and speedup charts ring a point measured under load and explain the ring", "[ui][rerun]")
{
    RunStore store;
    store.setRun(runWithLoad("torchscript", test::sampleRunOfOneDModel())); // one point per seq_len and variant

    ProbedLatencyChart latency(store);
    latency.resize(1000, 650);
    latency.show();
    latency.setView({ Workload::attention, Phase::forward });
    latency.rebuildNow();
    QCustomPlot* plot = latency.plot();
    QCPGraph* rings = underLoadGraph(plot);
    REQUIRE(rings);
    REQUIRE(rings->data()->size() == 1);
    CHECK(rings->data()->at(0)->key == 256);
    CHECK(rings->lineStyle() == QCPGraph::lsNone);
    CHECK(plot->legend->hasItemWithPlottable(rings)); // the legend says what a ring means
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const QString tip = latency.tooltipAt(
        QPointF(plot->xAxis->coordToPixel(256), plot->yAxis->coordToPixel(rings->data()->at(0)->value)));
    INFO(tip.toStdString());
    CHECK(tip.contains(QStringLiteral("measured under load: other processes used 60% of the 2 CPUs")));

    // Another view has none: no ring, no legend entry.
    latency.setView({ Workload::attention, Phase::backward });
    CHECK(underLoadGraph(latency.plot()) == nullptr);

    SpeedupChart speedup(store);
    speedup.setView({ Workload::attention, Phase::forward });
    speedup.rebuildNow();
    QCPGraph* speedup_rings = underLoadGraph(speedup.plot());
    REQUIRE(speedup_rings);
    CHECK(speedup_rings->data()->size() == 1);
    CHECK(speedup.plot()->legend->hasItemWithPlottable(speedup_rings));
}

TEST_CASE("the heatmap frames a cell measured under load, says so in its tooltip and its title", "[ui][rerun]")
{
    RunStore store;
    store.setRun(runWithLoad("eager")); // the baseline's load marks the speedup too
    ProbedHeatmap heatmap(store);
    heatmap.resize(1000, 650);
    heatmap.show();
    heatmap.setView({ Workload::attention, Phase::forward });
    heatmap.rebuildNow();
    QCustomPlot* plot = heatmap.plot();
    CHECK(itemsNamed(plot, QStringLiteral("underLoadFrame")) == 1);
    plot->replot(QCustomPlot::rpImmediateRefresh);
    // d_model 16 is row 0, seq_len 256 column 0.
    const QString tip = heatmap.tooltipAt(QPointF(plot->xAxis->coordToPixel(0), plot->yAxis->coordToPixel(0)));
    INFO(tip.toStdString());
    CHECK(tip.contains(QStringLiteral("measured under load (dashed frame)")));
    CHECK(tip.contains(QStringLiteral("eager: measured under load")));
    const QString other = heatmap.tooltipAt(QPointF(plot->xAxis->coordToPixel(1), plot->yAxis->coordToPixel(0)));
    CHECK_FALSE(other.contains(QStringLiteral("under load")));
    bool title_says = false;
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
        if (auto* title = qobject_cast<QCPTextElement*>(element))
            title_says = title_says || title->text().contains(QStringLiteral("framed: under load"));
    }
    CHECK(title_says);

    store.setRun(test::sampleRun()); // no load recorded (an older run): nothing marked
    heatmap.rebuildNow();
    CHECK(itemsNamed(heatmap.plot(), QStringLiteral("underLoadFrame")) == 0);
}

TEST_CASE("the Results table marks a measurement taken under load, and one re-run", "[ui][rerun]")
{
    RunResult run = runWithLoad("torchscript");
    const auto marked = std::find_if(run.measurements.begin(), run.measurements.end(),
        [](const Measurement& m) { return isMarked(m, "torchscript"); });
    REQUIRE(marked != run.measurements.end());
    const int row = static_cast<int>(marked - run.measurements.begin());
    const int calm = row == 0 ? 1 : 0;
    run.measurements[static_cast<size_t>(calm)].notes.push_back(std::string(rerun_note_prefix) + "test");
    RunStore store;
    store.setRun(run);
    ResultsTableModel model(store);
    const auto text
        = [&](int r, int role = Qt::DisplayRole) { return model.data(model.index(r, ResultsTableModel::load), role); };
    CHECK(text(row).toString() == QStringLiteral("under load (60%)"));
    CHECK_FALSE(text(row, Qt::DecorationRole).isNull());
    CHECK(text(calm).toString() == QStringLiteral("1% · re-run"));
    CHECK(text(calm, Qt::DecorationRole).isNull());
    CHECK(model.data(model.index(row, 0), ResultsTableModel::filter_role)
              .toString()
              .contains(QStringLiteral("under load")));
    CHECK(model.headerData(ResultsTableModel::load, Qt::Horizontal).toString() == QStringLiteral("Load"));
}

TEST_CASE("a live re-run's measurement takes its predecessor's place in the store", "[ui][rerun]")
{
    RunStore store;
    const RunResult run = runWithLoad("torchscript");
    store.beginLiveRerun(run);
    CHECK(store.isLive());
    CHECK(store.run().measurements.size() == run.measurements.size());
    QSignalSpy replaced(&store, &RunStore::measurementReplaced);
    QSignalSpy appended(&store, &RunStore::measurementAppended);
    Measurement fresh = run.measurements[3];
    fresh.samples_ms = { 9.0, 9.0, 9.0 };
    fresh.stats = summarize(fresh.samples_ms);
    store.appendMeasurement(fresh);
    REQUIRE(replaced.count() == 1);
    CHECK(replaced.at(0).at(0).toInt() == 3);
    CHECK(appended.count() == 0);
    CHECK(store.run().measurements[3].stats.median_ms == 9.0);
    CHECK(store.run().measurements.size() == run.measurements.size());
}

TEST_CASE("Re-run marked cells is enabled only with marked measurements, and counts them", "[ui][rerun]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    MainWindow window;
    window.setConfirmDiscard(false);
    QAction* rerun = window.runControls()->rerunAction();
    CHECK_FALSE(rerun->isEnabled());
    CHECK(rerun->text() == QStringLiteral("Re-run &marked cells (0)"));

    RunResult run = runWithLoad("torchscript");
    for (Measurement& m : run.measurements) {
        if (m.variant == "eager" && m.phase == Phase::backward && m.cell.d_model == 32)
            m.load = machineLoad(0.5);
    }
    const QString path = dir.filePath(QStringLiteral("marked.json"));
    write_file_atomically(path.toStdString(), to_json(run));
    ::chmod(path.toLocal8Bit().constData(), 0600);
    REQUIRE(window.openRunFile(path).toStdString().empty());
    CHECK(rerun->isEnabled());
    CHECK(rerun->text() == QStringLiteral("Re-run &marked cells (3)"));

    // This run was measured on another set-up (the sample's CPU): refused, and said why.
    REQUIRE(test::waitUntil([&] { return window.hasCapabilities(); }, 60000));
    CHECK(window.rerunMarkedCells().contains(QStringLiteral("measured elsewhere")));
    ::chmod(path.toLocal8Bit().constData(), 0666);
    CHECK(window.rerunMarkedCells().contains(QStringLiteral("can be written by other users")));
    CHECK_FALSE(window.isSweepRunning());

    const QString calm = dir.filePath(QStringLiteral("calm.json"));
    write_file_atomically(calm.toStdString(), to_json(test::sampleRun()));
    REQUIRE(window.openRunFile(calm).toStdString().empty());
    CHECK_FALSE(rerun->isEnabled());
    CHECK(rerun->text() == QStringLiteral("Re-run &marked cells (0)"));
}

TEST_CASE("Re-run marked cells measures the marked cell and phase again in the worker and keeps the rest",
    "[ui][rerun][sweep]")
{
    test::TemporaryHomes homes;
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    MainWindow window;
    window.setConfirmDiscard(false);
    window.show();
    REQUIRE(test::waitUntil([&] { return window.hasCapabilities(); }, 60000));
    QSignalSpy ended(&window, &MainWindow::sweepEnded);
    window.configPanel()->setConfig(test::tinySweep());
    REQUIRE(window.startSweep());
    REQUIRE(ended.wait(sweep_timeout_ms));

    // The loads set by hand: the machine running this test may itself be busy.
    RunResult run = window.store().run();
    for (Measurement& m : run.measurements)
        m.load
            = machineLoad(m.variant == "torchscript" && m.phase == Phase::backward && m.cell.seq_len == 64 ? 0.7 : 0.0);
    const QString path = dir.filePath(QStringLiteral("run.json"));
    write_file_atomically(path.toStdString(), to_json(run));
    ::chmod(path.toLocal8Bit().constData(), 0600);
    REQUIRE(window.openRunFile(path).toStdString().empty());
    const RunResult before = window.store().run();
    REQUIRE(window.runControls()->rerunAction()->text() == QStringLiteral("Re-run &marked cells (1)"));

    QSignalSpy replaced(&window.store(), &RunStore::measurementReplaced);
    ended.clear();
    REQUIRE(window.rerunMarkedCells().toStdString().empty());
    CHECK(window.isSweepRunning());
    CHECK_FALSE(window.runControls()->rerunAction()->isEnabled());
    REQUIRE(ended.wait(sweep_timeout_ms));
    CHECK(ended.at(0).at(0).toBool());

    CHECK(replaced.count() == 2); // live, in place: eager and torchscript of that cell and phase
    const RunResult& after = window.store().run();
    CHECK_FALSE(after.cancelled);
    REQUIRE(after.measurements.size() == before.measurements.size());
    for (size_t i = 0; i < before.measurements.size(); ++i) {
        const Measurement& old = before.measurements[i];
        const Measurement& now = after.measurements[i];
        INFO(old.variant << " " << to_string(old.phase) << " seq_len " << old.cell.seq_len);
        REQUIRE(same_measurement(old, now));
        if (old.phase == Phase::backward && old.cell.seq_len == 64) {
            CHECK(was_rerun(now));
            CHECK(now.samples_ms != old.samples_ms);
        } else {
            CHECK(asJson(now) == asJson(old));
        }
    }
    CHECK(window.store().runPath().isEmpty()); // no longer that file's run
    CHECK(homes.journals().isEmpty());
    CHECK(full_markdown(after).find("; 2 re-run") != std::string::npos);
}

TEST_CASE("a re-run whose worker crashes goes on in a fresh worker that has the whole run from the journal",
    "[ui][rerun][journal]")
{
    test::TemporaryHomes homes;
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    MainWindow window;
    window.setConfirmDiscard(false);
    window.show();
    REQUIRE(test::waitUntil([&] { return window.hasCapabilities(); }, 60000));
    QSignalSpy ended(&window, &MainWindow::sweepEnded);
    window.configPanel()->setConfig(test::tinySweep());
    REQUIRE(window.startSweep());
    REQUIRE(ended.wait(sweep_timeout_ms));
    RunResult run = window.store().run();
    for (Measurement& m : run.measurements)
        m.load = machineLoad(m.variant == "eager" && m.phase == Phase::forward && m.cell.seq_len == 32 ? 0.7 : 0.0);
    const QString path = dir.filePath(QStringLiteral("run.json"));
    write_file_atomically(path.toStdString(), to_json(run));
    ::chmod(path.toLocal8Bit().constData(), 0600);
    REQUIRE(window.openRunFile(path).toStdString().empty());
    const RunResult before = window.store().run();

    // torchscript raises SIGSEGV wherever it is built (compilescope/failpoints.h): the first worker dies in the marked
    // cell and phase, and a fresh one continues from the journal. Had the journal lacked what the re-run keeps, the
    // fresh worker would measure all of it again.
    ::setenv("COMPILESCOPE_FAILPOINTS", "crash=torchscript", 1);
    QSignalSpy arrived(window.controller(), &SweepController::measurementFinished);
    ended.clear();
    REQUIRE(window.rerunMarkedCells().toStdString().empty());
    REQUIRE(ended.wait(sweep_timeout_ms));
    ::unsetenv("COMPILESCOPE_FAILPOINTS");

    CHECK(arrived.count() == 2); // the marked cell and phase's eager and torchscript, nothing else
    const RunResult& after = window.store().run();
    CHECK_FALSE(after.cancelled);
    REQUIRE(after.measurements.size() == before.measurements.size());
    for (size_t i = 0; i < before.measurements.size(); ++i) {
        const Measurement& old = before.measurements[i];
        const Measurement& now = after.measurements[i];
        INFO(old.variant << " " << to_string(old.phase) << " seq_len " << old.cell.seq_len << ": " << now.message);
        REQUIRE(same_measurement(old, now));
        if (old.phase == Phase::forward && old.cell.seq_len == 32) {
            CHECK(was_rerun(now));
            if (now.variant == "torchscript")
                CHECK(now.status == MeasurementStatus::failed);
        } else {
            CHECK(asJson(now) == asJson(old));
        }
    }
    CHECK(homes.journals().isEmpty());
}
