// The main window's frame: the panels and tabs, the menus, the sweep's wiring and what its end shows, the title and
// the saved geometry. Opening and comparing runs, the recent-file and history menus and the run on screen's fate
// are in main_window_files.cpp, the exports in main_window_exports.cpp, interrupted sweeps in
// main_window_journals.cpp, re-running the marked cells in main_window_rerun.cpp.
#include "main_window.h"

#include "compilescope/journal.h"
#include "compilescope/sweep_events.h"
#include "compilescope/sweep_plan.h"
#include "config_panel.h"
#include "display_format.h"
#include "help_texts.h"
#include "interaction_monitor.h"
#include "latency_chart.h"
#include "log_view.h"
#include "report_view.h"
#include "results_view.h"
#include "roofline_chart.h"
#include "run_controls.h"
#include "run_estimate.h"
#include "run_store.h"
#include "shortcut_priority.h"
#include "speedup_chart.h"
#include "speedup_heatmap.h"
#include "sweep_controller.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace compilescope {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_store(new RunStore(this))
    , m_controller(new SweepController(this))
    , m_interactions(new InteractionMonitor(this))
    , m_config_panel(new ConfigPanel)
    , m_run_controls(new RunControls)
    , m_splitter(new QSplitter(Qt::Horizontal))
    , m_tabs(new QTabWidget)
    , m_latency_chart(new LatencyChart(*m_store))
    , m_speedup_chart(new SpeedupChart(*m_store))
    , m_heatmap(new SpeedupHeatmap(*m_store))
    , m_roofline_chart(new RooflineChart(*m_store))
    , m_results_view(new ResultsView(*m_store))
    , m_report_view(new ReportView(*m_store))
    , m_log_view(new LogView)
    , m_environment_label(new QLabel(tr("Asking LibTorch about this machine…")))
{
    setObjectName(QStringLiteral("mainWindow"));
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_config_panel);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_config_panel->sizeHint().width() + 24);

    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(m_latency_chart, tr("&Latency"));
    m_tabs->addTab(m_speedup_chart, tr("&Speedup"));
    m_tabs->addTab(m_heatmap, tr("Hea&tmap")); // H is the Help menu's
    m_tabs->addTab(m_roofline_chart, tr("Roofl&ine"));
    m_tabs->addTab(m_results_view, tr("R&esults"));
    m_tabs->addTab(m_report_view, tr("Re&port"));
    m_tabs->addTab(m_log_view, tr("L&og"));

    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(scroll);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setCollapsible(1, false);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_run_controls);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    statusBar()->addPermanentWidget(m_environment_label);

    buildMenus();
    wireSweep();
    restoreSettings();
    updateTitle();
    m_controller->probeCapabilities();
}

MainWindow::~MainWindow()
{
    // Stop the sweep's worker process before the store and the views it reports to are destroyed.
    delete m_controller;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open run…"), QKeySequence::Open, this, &MainWindow::openRunDialog);
    m_recent_menu = file->addMenu(tr("Recent &files"));
    m_history_menu = file->addMenu(tr("Recent &runs"));
    m_history_menu->setObjectName(QStringLiteral("historyMenu"));
    m_history_menu->setToolTipsVisible(true);
    buildInterruptedSweepsMenu(file);
    QAction* compare = file->addAction(
        tr("&Compare with another run…"), QKeySequence(Qt::CTRL | Qt::Key_B), this, &MainWindow::loadBaselineDialog);
    file->addAction(tr("C&lear the comparison run"), this, [this] {
        m_store->clearBaseline();
        updateTitle();
    });
    file->addSeparator();
    QAction* export_markdown = file->addAction(
        tr("Export &Markdown…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportMarkdownDialog);
    export_markdown->setObjectName(QStringLiteral("exportMarkdownAction"));
    m_charts_with_markdown = file->addAction(tr("Write chart &PNGs beside the Markdown"));
    m_charts_with_markdown->setCheckable(true);
    m_charts_with_markdown->setChecked(m_settings.value(SettingKey::export_charts_with_markdown).toBool());
    m_light_charts_with_markdown = file->addAction(tr("Chart PNGs on a light back&ground (for documents)"));
    m_light_charts_with_markdown->setCheckable(true);
    connect(m_charts_with_markdown, &QAction::toggled, this,
        [this](bool on) { m_settings.setValue(SettingKey::export_charts_with_markdown, on); });
    file->addAction(tr("Export &JSON…"), this, &MainWindow::exportJsonDialog);
    file->addAction(tr("Export CS&V…"), this, &MainWindow::exportCsvDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_run_controls->runAction());
    run->addAction(m_run_controls->cancelAction());
    buildRerunAction(run);

    QMenu* chart = menuBar()->addMenu(tr("&Chart"));
    chart->addAction(tr("Export as &PNG…"), this, [this] { exportChartDialog(false); });
    chart->addAction(tr("Export as P&DF…"), this, [this] { exportChartDialog(true); });
    chart->addAction(
        tr("&Copy to clipboard"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this, &MainWindow::copyChart);
    chart->addAction(
        tr("&Fit to data"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { currentChart()->resetZoom(); });
    chart->addSeparator();
    // Medians by default: timing samples are skewed (docs/statistics.md); means are there to compare with the seed.
    auto* centre = new QActionGroup(this);
    for (const auto& [label, value] : { std::pair { tr("Centre on &medians"), Centre::median },
             std::pair { tr("Centre on m&eans"), Centre::mean } }) {
        QAction* action = chart->addAction(label, this, [this, value = value] {
            for (ChartWidget* widget :
                std::initializer_list<ChartWidget*> { m_latency_chart, m_speedup_chart, m_heatmap })
                widget->setCentre(value);
        });
        action->setCheckable(true);
        action->setChecked(value == Centre::median);
        centre->addAction(action);
    }
    buildHelpMenu();
    updateRecentFilesMenu();
    updateHistoryMenu();
    // Text fields take Ctrl+E and Ctrl+B as cursor keys; in this window they export and compare.
    new ShortcutPriority(*this, { export_markdown, compare });
}

void MainWindow::buildHelpMenu()
{
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("What the &variants mean"), this, [this] {
        if (!m_capabilities)
            return showError(tr("Variants"), tr("LibTorch has not yet said which variants this machine can run."));
        QMessageBox::information(this, tr("What the variants mean"),
            variantGuideText(m_capabilities->variants(m_config_panel->config().device)));
    });
    help->addAction(tr("How to read the &charts"), this,
        [this] { QMessageBox::information(this, tr("How to read the charts"), chartGuideText()); });
    help->addSeparator();
    help->addAction(tr("&About CompileScope"), this, [this] {
        QMessageBox::about(
            this, tr("About CompileScope"), aboutText(m_capabilities ? &m_capabilities->environment : nullptr));
    });
}

void MainWindow::wireSweep()
{
    connect(m_controller, &SweepController::capabilitiesReady, this, &MainWindow::onCapabilities);
    connect(m_config_panel, &ConfigPanel::validityChanged, m_run_controls, &RunControls::setRunnable);
    // "Speedup over" is a view of the run on screen too: switching it redraws a finished run when it has that
    // variant (a live run keeps the baseline it started with).
    connect(m_config_panel, &ConfigPanel::configChanged, this, [this] {
        if (!m_store->isLive())
            m_store->setSpeedupBaseline(m_config_panel->config().speedup_baseline);
    });
    connect(m_run_controls->runAction(), &QAction::triggered, this, &MainWindow::startSweep);
    connect(m_run_controls->cancelAction(), &QAction::triggered, this, &MainWindow::cancelSweep);
    connect(m_controller, &SweepController::progress, m_run_controls, &RunControls::showProgress);
    connect(m_controller, &SweepController::measurementFinished, this, &MainWindow::onMeasurement);
    connect(m_interactions, &InteractionMonitor::firstInteraction, this, [this] {
        statusBar()->showMessage(tr("Using the app during a sweep disturbs its timings on a machine with few cores: "
                                    "the measurements concerned get a note (Results, Report)"),
            10000);
    });
    connect(m_controller, &SweepController::logLine, m_log_view, &LogView::appendLine);
    connect(m_controller, &SweepController::finished, this, &MainWindow::onSweepFinished);
    connect(m_controller, &SweepController::failed, this, &MainWindow::onSweepFailed);
    connect(m_controller, &SweepController::journalClosed, this, &MainWindow::onJournalClosed);
    m_run_controls->setRunnable(m_config_panel->isValid(), m_config_panel->validationMessage());
}

bool MainWindow::startSweep()
{
    if (!m_config_panel->isValid() || !m_capabilities || m_controller->isRunning())
        return false;
    const SweepConfig config = m_config_panel->config();
    // Only Run (button, Ctrl+R) asks before a long sweep: scripted sessions and tests call this directly.
    if (sender() == m_run_controls->runAction() && !confirmRun(this, config))
        return false;
    if (!confirmDiscard(tr("Run a new sweep")))
        return false;
    m_history_copy.clear();
    statusBar()->clearMessage();
    m_settings.setLastConfiguration(config);
    m_store->beginLiveRun(config, m_capabilities->environment);
    m_run_controls->setRunning(true);
    m_log_view->appendLine(tr("Sweep started: %1 measurements planned").arg(planned_measurements(config)));
    m_interactions->start();
    m_controller->start(config);
    updateTitle();
    return true;
}

void MainWindow::cancelSweep()
{
    if (!m_controller->isRunning())
        return;
    m_controller->cancel();
    m_run_controls->showCancelling();
    m_log_view->appendLine(tr("Cancel requested; the sweep stops after the current iteration, or is ended after a "
                              "second inside a long one"));
}

bool MainWindow::isSweepRunning() const
{
    return m_controller->isRunning();
}

void MainWindow::onCapabilities(const Capabilities& capabilities)
{
    m_capabilities = capabilities;
    m_config_panel->setCapabilities(capabilities);
    const Environment& env = capabilities.environment;
    QString device = capabilities.cuda ? tr("GPU: %1").arg(QString::fromStdString(env.gpu_name))
                                       : tr("CPU: %1").arg(QString::fromStdString(env.cpu_model));
    m_environment_label->setText(tr("%1 · LibTorch %2 · intra-op threads: %3")
                                     .arg(device, QString::fromStdString(env.libtorch_version))
                                     .arg(env.torch_threads));
    m_environment_label->setToolTip(tr("BLAS: %1\nAllocator: %2\nCompiler: %3")
                                        .arg(QString::fromStdString(env.blas), QString::fromStdString(env.allocator),
                                            QString::fromStdString(env.compiler)));
    Q_EMIT capabilitiesReady();
}

void MainWindow::onMeasurement(const Measurement& arrived)
{
    const Measurement measurement = m_interactions->marked(m_rerun ? m_rerun->marked(arrived) : arrived);
    m_store->appendMeasurement(measurement);
    QString line = describeMeasurement(measurement) + QStringLiteral(": ");
    if (measurement.ok()) {
        line += tr("%1 ms ± %2 (n %3)")
                    .arg(formatMs(measurement.stats.mean_ms), formatMs(measurement.stats.std_ms))
                    .arg(measurement.stats.n);
        if (const IntervalVerdict verdict = interval_verdict(measurement); verdict != IntervalVerdict::counts)
            line += tr(", no interval: %1").arg(noIntervalText(verdict));
    } else
        line += QString::fromStdString(to_string(measurement.status)) + QStringLiteral(": ")
            + QString::fromStdString(measurement.message);
    m_log_view->appendLine(line);
}

void MainWindow::onSweepFinished(const RunResult& finished_run)
{
    // A re-run's sweep ran only what its run lacked: the run is the merge (what it did not finish keeps the old).
    RunResult result = m_rerun ? m_rerun->merged(finished_run) : finished_run;
    m_interactions->markRun(result);
    m_interactions->stop();
    m_store->finishLiveRun(result);
    m_run_controls->setRunning(false);
    const auto failed = std::count_if(result.measurements.begin(), result.measurements.end(),
        [](const Measurement& m) { return m.status == MeasurementStatus::failed; });
    const int finished = finished_measurements(result);
    const int planned = planned_measurements(result.config);
    const QString failed_note = failed > 0 ? tr(" · %1 failed (see Results)").arg(failed) : QString();
    // A resumed run says how much the earlier attempt measured (each such measurement carries the note).
    const auto earlier
        = std::count_if(result.measurements.begin(), result.measurements.end(), [](const Measurement& m) {
              return std::find(m.notes.begin(), m.notes.end(), earlier_attempt_note) != m.notes.end();
          });
    const QString earlier_note
        = earlier > 0 ? tr(" (%1 of them before the sweep was interrupted)").arg(earlier) : QString();
    QString summary;
    if (m_rerun)
        summary = rerunSummary(result);
    else if (!m_controller->workerDeath().isEmpty())
        summary = tr("Stopped: the sweep worker %1; %2 of %3 measurements finished in %4%5")
                      .arg(m_controller->workerDeath())
                      .arg(finished)
                      .arg(planned)
                      .arg(formatDuration(result.wall_time_s), failed_note);
    else if (!result.cancelled)
        summary = tr("Finished %1 measurements%2 in %3%4")
                      .arg(result.measurements.size())
                      .arg(earlier_note, formatDuration(result.wall_time_s), failed_note);
    else if (finished == 0)
        summary = tr("Cancelled before any measurement finished");
    else
        summary = tr("Cancelled: %1 of %2 measurements finished in %3%4")
                      .arg(finished)
                      .arg(planned)
                      .arg(formatDuration(result.wall_time_s), failed_note);
    m_rerun.reset();
    m_run_controls->showSweepEnd(summary, result.cancelled ? finished : planned, planned);
    m_log_view->appendLine(summary);
    // The charts show empty axes for such a run; the window says why.
    if (finished == 0)
        statusBar()->showMessage(summary);
    saveToHistory(result);
    updateTitle();
    Q_EMIT sweepEnded(true);
    if (m_close_requested)
        close();
}

void MainWindow::onSweepFailed(const QString& error)
{
    m_store->abortLiveRun();
    if (m_rerun) { // nothing was measured: the run on screen is still that file's
        m_store->setRunPath(m_rerun_source_path);
        m_rerun.reset();
    }
    m_interactions->stop();
    m_run_controls->setRunning(false);
    m_run_controls->showMessage(tr("The sweep did not start: %1").arg(error));
    m_log_view->appendLine(tr("Sweep refused: %1").arg(error));
    Q_EMIT sweepEnded(false);
    if (m_close_requested)
        close();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_controller->isRunning()) {
        // Closing waits for the sweep to stop rather than blocking the event loop in a join.
        m_close_requested = true;
        cancelSweep();
        event->ignore();
        return;
    }
    // Closed during the sweep: the user asked to close while it ran, and its results are in the history, so it
    // closes without a second question (it asks when that copy failed).
    const bool closing_after_sweep = std::exchange(m_close_requested, false);
    if (!(closing_after_sweep && !m_history_copy.isEmpty()) && !confirmDiscard(tr("Quit"))) {
        event->ignore();
        return;
    }
    saveSettings();
    event->accept();
}

void MainWindow::restoreSettings()
{
    if (!restoreGeometry(m_settings.value(SettingKey::window_geometry).toByteArray()))
        resize(1400, 900);
    fitToScreen();
    if (m_settings.value(SettingKey::window_state_version).toInt() == Settings::window_state_version) {
        restoreState(m_settings.value(SettingKey::window_state).toByteArray(), Settings::window_state_version);
        m_splitter->restoreState(m_settings.value(SettingKey::splitter_state).toByteArray());
    }
    if (const auto config = m_settings.lastConfiguration())
        m_config_panel->setConfig(*config);
}

void MainWindow::fitToScreen()
{
    // A size saved on a larger screen, or the default on a laptop, would put the status bar and the colour bar
    // off-screen.
    const QScreen* here = screen();
    if (here == nullptr)
        return;
    const QRect available = here->availableGeometry();
    const QSize frame = frameGeometry().size() - geometry().size();
    const QSize fitted = size().boundedTo(available.size() - frame).expandedTo(minimumSizeHint());
    if (fitted != size())
        resize(fitted);
    if (!available.contains(frameGeometry()))
        move(available.topLeft());
}

void MainWindow::saveSettings()
{
    m_settings.setValue(SettingKey::window_geometry, saveGeometry());
    m_settings.setValue(SettingKey::window_state, saveState(Settings::window_state_version));
    m_settings.setValue(SettingKey::splitter_state, m_splitter->saveState());
    m_settings.setValue(SettingKey::window_state_version, Settings::window_state_version);
    m_settings.setLastConfiguration(m_config_panel->config());
}

void MainWindow::updateTitle()
{
    QString title;
    if (m_store->isLive())
        title = tr("sweep running");
    else if (!m_store->runPath().isEmpty())
        title = QFileInfo(m_store->runPath()).fileName();
    else if (!hasUnexportedRun())
        title = tr("no results");
    else
        title = m_history_copy.isEmpty() ? tr("run not saved") : tr("run not exported (copy in the history)");
    if (m_store->baseline())
        title += tr(" vs %1").arg(QFileInfo(m_store->baselinePath()).fileName());
    setWindowTitle(title + QStringLiteral(" — CompileScope"));
}

void MainWindow::showError(const QString& title, const QString& message)
{
    m_log_view->appendLine(title + QStringLiteral(": ") + message);
    QMessageBox::warning(this, title, message);
}

} // namespace compilescope
