#include "main_window.h"

#include "chart_export_dialog.h"
#include "compilescope/sweep.h"
#include "config_panel.h"
#include "display_format.h"
#include "latency_chart.h"
#include "log_view.h"
#include "report_view.h"
#include "results_view.h"
#include "roofline_chart.h"
#include "run_controls.h"
#include "run_export.h"
#include "run_file.h"
#include "run_store.h"
#include "speedup_chart.h"
#include "speedup_heatmap.h"
#include "sweep_controller.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace compilescope {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_store(new RunStore(this))
    , m_controller(new SweepController(this))
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
    m_tabs->addTab(m_heatmap, tr("&Heatmap"));
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
    // Join the sweep thread before the store and the views it reports to are destroyed.
    delete m_controller;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open run…"), QKeySequence::Open, this, &MainWindow::openRunDialog);
    m_recent_menu = file->addMenu(tr("Open &recent"));
    file->addAction(
        tr("&Compare with a baseline run…"), QKeySequence(Qt::CTRL | Qt::Key_B), this, &MainWindow::loadBaselineDialog);
    file->addAction(tr("C&lear baseline"), this, [this] {
        m_store->clearBaseline();
        updateTitle();
    });
    file->addSeparator();
    file->addAction(
        tr("Export &Markdown…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportMarkdownDialog);
    m_charts_with_markdown = file->addAction(tr("Write chart PNGs beside the Markdown"));
    m_charts_with_markdown->setCheckable(true);
    m_charts_with_markdown->setChecked(m_settings.value(SettingKey::export_charts_with_markdown).toBool());
    connect(m_charts_with_markdown, &QAction::toggled, this,
        [this](bool on) { m_settings.setValue(SettingKey::export_charts_with_markdown, on); });
    file->addAction(tr("Export &JSON…"), this, &MainWindow::exportJsonDialog);
    file->addAction(tr("Export &CSV…"), this, &MainWindow::exportCsvDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_run_controls->runAction());
    run->addAction(m_run_controls->cancelAction());

    QMenu* chart = menuBar()->addMenu(tr("&Chart"));
    chart->addAction(tr("Export as &PNG…"), this, [this] { exportChartDialog(false); });
    chart->addAction(tr("Export as P&DF…"), this, [this] { exportChartDialog(true); });
    chart->addAction(
        tr("&Copy to clipboard"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), this, &MainWindow::copyChart);
    chart->addAction(
        tr("&Fit to data"), QKeySequence(Qt::CTRL | Qt::Key_0), this, [this] { currentChart()->resetZoom(); });
    updateRecentFilesMenu();
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
    connect(m_controller, &SweepController::logLine, m_log_view, &LogView::appendLine);
    connect(m_controller, &SweepController::finished, this, &MainWindow::onSweepFinished);
    connect(m_controller, &SweepController::failed, this, &MainWindow::onSweepFailed);
    m_run_controls->setRunnable(m_config_panel->isValid(), m_config_panel->validationMessage());
}

bool MainWindow::startSweep()
{
    if (!m_config_panel->isValid() || !m_capabilities || m_controller->isRunning())
        return false;
    const SweepConfig config = m_config_panel->config();
    m_settings.setLastConfiguration(config);
    m_store->beginLiveRun(config, m_capabilities->environment);
    m_run_controls->setRunning(true);
    m_log_view->appendLine(tr("Sweep started: %1 measurements planned").arg(planned_measurements(config)));
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
    m_log_view->appendLine(tr("Cancel requested; the sweep stops after the current timed iteration"));
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

void MainWindow::onMeasurement(const Measurement& measurement)
{
    m_store->appendMeasurement(measurement);
    QString line = describeMeasurement(measurement) + QStringLiteral(": ");
    if (measurement.ok())
        line += tr("%1 ms ± %2 (n %3)")
                    .arg(formatMs(measurement.stats.mean_ms), formatMs(measurement.stats.std_ms))
                    .arg(measurement.stats.n);
    else
        line += QString::fromStdString(to_string(measurement.status)) + QStringLiteral(": ")
            + QString::fromStdString(measurement.message);
    m_log_view->appendLine(line);
}

void MainWindow::onSweepFinished(const RunResult& result)
{
    m_store->finishLiveRun(result);
    m_run_controls->setRunning(false);
    const auto failed = std::count_if(result.measurements.begin(), result.measurements.end(),
        [](const Measurement& m) { return m.status == MeasurementStatus::failed; });
    const QString summary = tr("%1 %2 measurements in %3%4")
                                .arg(result.cancelled ? tr("Cancelled after") : tr("Finished"))
                                .arg(result.measurements.size())
                                .arg(formatDuration(result.wall_time_s),
                                    failed > 0 ? tr(" · %1 failed (see Results)").arg(failed) : QString());
    m_run_controls->showMessage(summary);
    m_log_view->appendLine(summary);
    updateTitle();
    Q_EMIT sweepEnded(true);
    if (m_close_requested)
        close();
}

void MainWindow::onSweepFailed(const QString& error)
{
    m_store->abortLiveRun();
    m_run_controls->setRunning(false);
    m_run_controls->showMessage(tr("The sweep did not start: %1").arg(error));
    m_log_view->appendLine(tr("Sweep refused: %1").arg(error));
    Q_EMIT sweepEnded(false);
    if (m_close_requested)
        close();
}

QString MainWindow::openRunFile(const QString& path)
{
    if (m_controller->isRunning())
        return tr("A sweep is running; cancel it before opening a run.");
    LoadedRun loaded = loadRunFile(path);
    if (!loaded.run) {
        m_settings.removeRecentFile(path);
        updateRecentFilesMenu();
        return loaded.error;
    }
    const int count = static_cast<int>(loaded.run->measurements.size());
    m_config_panel->setConfig(loaded.run->config);
    m_store->setRun(std::move(*loaded.run), path);
    m_settings.addRecentFile(path);
    updateRecentFilesMenu();
    m_run_controls->clearProgress();
    m_run_controls->showMessage(tr("Opened %1: %2 measurements").arg(QFileInfo(path).fileName()).arg(count));
    m_log_view->appendLine(tr("Opened %1").arg(path));
    updateTitle();
    return {};
}

QString MainWindow::loadBaselineFile(const QString& path)
{
    LoadedRun loaded = loadRunFile(path);
    if (!loaded.run)
        return loaded.error;
    m_store->setBaseline(std::move(*loaded.run), path);
    m_log_view->appendLine(tr("Baseline: %1").arg(path));
    updateTitle();
    return {};
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
    saveSettings();
    event->accept();
}

void MainWindow::restoreSettings()
{
    if (!restoreGeometry(m_settings.value(SettingKey::window_geometry).toByteArray()))
        resize(1400, 900);
    if (m_settings.value(SettingKey::window_state_version).toInt() == Settings::window_state_version) {
        restoreState(m_settings.value(SettingKey::window_state).toByteArray(), Settings::window_state_version);
        m_splitter->restoreState(m_settings.value(SettingKey::splitter_state).toByteArray());
    }
    if (const auto config = m_settings.lastConfiguration())
        m_config_panel->setConfig(*config);
}

void MainWindow::saveSettings()
{
    m_settings.setValue(SettingKey::window_geometry, saveGeometry());
    m_settings.setValue(SettingKey::window_state, saveState(Settings::window_state_version));
    m_settings.setValue(SettingKey::splitter_state, m_splitter->saveState());
    m_settings.setValue(SettingKey::window_state_version, Settings::window_state_version);
    m_settings.setLastConfiguration(m_config_panel->config());
}

void MainWindow::updateRecentFilesMenu()
{
    m_recent_menu->clear();
    const QStringList files = m_settings.recentFiles();
    for (const QString& path : files) {
        m_recent_menu
            ->addAction(QFileInfo(path).fileName(), this,
                [this, path] {
                    if (const QString error = openRunFile(path); !error.isEmpty())
                        showError(tr("Open run"), error);
                })
            ->setToolTip(path);
    }
    m_recent_menu->setEnabled(!files.isEmpty());
}

void MainWindow::updateTitle()
{
    QString title = m_store->runPath().isEmpty() ? (m_store->isLive() ? tr("sweep running") : tr("unsaved run"))
                                                 : QFileInfo(m_store->runPath()).fileName();
    if (m_store->baseline())
        title += tr(" vs %1").arg(QFileInfo(m_store->baselinePath()).fileName());
    setWindowTitle(title + QStringLiteral(" — CompileScope"));
}

void MainWindow::openRunDialog()
{
    const QString path = askOpenPath(tr("Open run"));
    if (path.isEmpty())
        return;
    if (const QString error = openRunFile(path); !error.isEmpty())
        showError(tr("Open run"), error);
}

void MainWindow::loadBaselineDialog()
{
    const QString path = askOpenPath(tr("Load baseline run"));
    if (path.isEmpty())
        return;
    if (const QString error = loadBaselineFile(path); !error.isEmpty())
        showError(tr("Load baseline"), error);
}

void MainWindow::exportMarkdownDialog()
{
    exportRun(tr("Export Markdown"), QStringLiteral("report.md"), tr("Markdown (*.md)"), [this](const QString& path) {
        return exportMarkdown(
            m_store->run(), m_store->baseline(), path, m_charts_with_markdown->isChecked(), chartImageSize());
    });
}

void MainWindow::exportJsonDialog()
{
    exportRun(tr("Export JSON"), QStringLiteral("run.json"), tr("JSON (*.json)"), [this](const QString& path) {
        const QString error = exportJson(m_store->run(), path);
        if (error.isEmpty()) {
            m_settings.addRecentFile(path);
            updateRecentFilesMenu();
        }
        return error;
    });
}

void MainWindow::exportCsvDialog()
{
    exportRun(tr("Export CSV"), QStringLiteral("results.csv"), tr("CSV (*.csv)"),
        [this](const QString& path) { return exportCsv(m_store->run(), path); });
}

void MainWindow::exportRun(const QString& title, const QString& suggested_name, const QString& filter,
    const std::function<QString(const QString&)>& write)
{
    if (m_store->run().measurements.empty())
        return showError(title, tr("Nothing to export yet: run a sweep or open a saved run first."));
    const QString path = askSavePath(title, suggested_name, filter);
    if (path.isEmpty())
        return;
    if (const QString error = write(path); !error.isEmpty())
        return showError(title, error);
    m_run_controls->showMessage(tr("Wrote %1").arg(path));
}

void MainWindow::exportChartDialog(bool pdf)
{
    ChartWidget* chart = currentChart();
    ChartExportDialog dialog(chartImageSize(), !pdf, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ChartImageSize size = dialog.size();
    m_settings.setValue(SettingKey::chart_export_width, size.width);
    m_settings.setValue(SettingKey::chart_export_height, size.height);
    if (!pdf)
        m_settings.setValue(SettingKey::chart_export_scale, size.scale);
    const QString path
        = askSavePath(tr("Export chart"), chart->fileStem() + (pdf ? QStringLiteral(".pdf") : QStringLiteral(".png")),
            pdf ? tr("PDF (*.pdf)") : tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    const QString error = pdf ? saveChartPdf(chart->plot(), path, size) : saveChartPng(chart->plot(), path, size);
    if (!error.isEmpty())
        return showError(tr("Export chart"), error);
    m_run_controls->showMessage(tr("Wrote %1").arg(path));
}

void MainWindow::copyChart()
{
    copyChartToClipboard(currentChart()->plot(), chartImageSize());
    m_run_controls->showMessage(tr("Copied the %1 chart to the clipboard").arg(currentChart()->chartName()));
}

ChartWidget* MainWindow::currentChart() const
{
    ChartWidget* chart = qobject_cast<ChartWidget*>(m_tabs->currentWidget());
    if (!chart)
        chart = m_latency_chart;
    chart->rebuildIfStale();
    return chart;
}

QString MainWindow::askOpenPath(const QString& title)
{
    const QString path = QFileDialog::getOpenFileName(this, title,
        m_settings.value(SettingKey::last_directory).toString(), tr("CompileScope runs (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_settings.setValue(SettingKey::last_directory, QFileInfo(path).absolutePath());
    return path;
}

QString MainWindow::askSavePath(const QString& title, const QString& suggested_name, const QString& filter)
{
    const QString directory = m_settings.value(SettingKey::last_directory).toString();
    const QString path = QFileDialog::getSaveFileName(this, title, QDir(directory).filePath(suggested_name), filter);
    if (!path.isEmpty())
        m_settings.setValue(SettingKey::last_directory, QFileInfo(path).absolutePath());
    return path;
}

void MainWindow::showError(const QString& title, const QString& message)
{
    m_log_view->appendLine(title + QStringLiteral(": ") + message);
    QMessageBox::warning(this, title, message);
}

ChartImageSize MainWindow::chartImageSize() const
{
    return { m_settings.value(SettingKey::chart_export_width).toInt(),
        m_settings.value(SettingKey::chart_export_height).toInt(),
        m_settings.value(SettingKey::chart_export_scale).toDouble() };
}

} // namespace compilescope
