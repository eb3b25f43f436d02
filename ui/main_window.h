// The main window wires the panels together: configuration, run controls, the chart, table, report and log
// tabs, the sweep controller and the settings. It owns no chart, table or thread logic itself.
#pragma once

#include "capabilities.h"
#include "chart_export.h"
#include "compilescope/journal.h"
#include "compilescope/rerun.h"
#include "compilescope/results.h"
#include "run_history.h"
#include "settings.h"

#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;

namespace compilescope {

class ChartWidget;
class InteractionMonitor;
class ConfigPanel;
class LatencyChart;
class LogView;
class MarkdownExport;
class ReportView;
class ResultsView;
class RunControls;
class RooflineChart;
class RunStore;
class SpeedupChart;
class SpeedupHeatmap;
class SweepController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    /// Cancels a running sweep and joins its thread.
    ~MainWindow() override;

    /// Starts a sweep of the panel's configuration; false (and nothing started) if it is not valid.
    bool startSweep();
    void cancelSweep();
    bool isSweepRunning() const;
    bool hasCapabilities() const { return m_capabilities.has_value(); }

    /// Opens a saved run; returns an empty string or why the file was refused (no message box).
    QString openRunFile(const QString& path);
    /// Loads a saved run as the baseline; returns an empty string or the error (no message box).
    QString loadBaselineFile(const QString& path);
    /// Writes the run on screen as JSON (what File ▸ Export JSON does after its dialog); returns an empty string or
    /// the error (no message box). Only a written file's directory becomes the dialogs' start directory.
    QString exportJsonFile(const QString& path);
    /// Starts writing the run on screen as Markdown to `path` (what File ▸ Export Markdown does after its dialog),
    /// with the chart images if File ▸ Write chart PNGs is ticked, and a progress dialog with Cancel when that takes
    /// more than half a second; its outcome is shown when it finishes. The export belongs to the window.
    MarkdownExport* startMarkdownExport(const QString& path);

    /// Offers, one dialog each and newest first, what to do with the journals of the last few interrupted sweeps
    /// (once LibTorch has reported the capabilities). The app calls it at start-up unless scripted; tests do not.
    void offerInterruptedSweeps();
    /// The dialog for the interrupted sweep of the journal at `path`: Resume, Open what finished, Discard, Later.
    void offerInterruptedSweep(const QString& path);
    /// What Resume does (no message box): continues the journal's sweep as a running sweep, its configuration in
    /// the panel, the measurements that finished arriving first. Returns "" or why it cannot.
    QString resumeInterruptedSweep(const QString& path);
    /// What Open what finished does (no message box): shows the journal's run, cancelled, keeps it in the history
    /// and deletes the journal. Returns "" or why it cannot.
    QString openInterruptedSweep(const QString& path);

    /// What Run ▸ Re-run marked cells does (no message box): measures again, in a running sweep, the measurements of
    /// the run on screen taken under load, with every variant of their cell and phase (compilescope/rerun.h); they
    /// take their predecessors' places as they arrive, every other measurement is kept. Returns "" or why it cannot.
    QString rerunMarkedCells();

    /// Whether replacing the run on screen (a new sweep, opening a run, closing) first asks to save it when it was
    /// not exported. On by default; scripted sessions that quit by themselves, and tests, turn it off.
    void setConfirmDiscard(bool confirm) { m_confirm_discard = confirm; }
    /// A run made in this session with finished measurements that was not exported as JSON.
    bool hasUnexportedRun() const;
    /// Where this session's last run was copied automatically (empty when none, or the copy failed).
    const QString& historyCopyPath() const { return m_history_copy; }
    const RunHistory& history() const { return m_history; }

    ConfigPanel* configPanel() const { return m_config_panel; }
    RunControls* runControls() const { return m_run_controls; }
    const RunStore& store() const { return *m_store; }
    SweepController* controller() const { return m_controller; }
    LatencyChart* latencyChart() const { return m_latency_chart; }
    SpeedupChart* speedupChart() const { return m_speedup_chart; }
    SpeedupHeatmap* heatmap() const { return m_heatmap; }
    RooflineChart* rooflineChart() const { return m_roofline_chart; }
    ResultsView* resultsView() const { return m_results_view; }
    ReportView* reportView() const { return m_report_view; }

Q_SIGNALS:
    void capabilitiesReady();
    /// A sweep ended: finished, cancelled, or refused by the core (`completed` false).
    void sweepEnded(bool completed);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void wireSweep();
    void restoreSettings();
    void saveSettings();
    /// Shrinks the window to the screen's available area (never below its minimum) and moves it onto the screen.
    void fitToScreen();
    void updateRecentFilesMenu();
    void updateHistoryMenu();
    void buildHelpMenu();
    void updateTitle();
    void onCapabilities(const Capabilities& capabilities);
    void onMeasurement(const Measurement& measurement);
    void onSweepFinished(const RunResult& result);
    void onSweepFailed(const QString& error);

    // Interrupted sweeps (main_window_journals.cpp).
    void buildInterruptedSweepsMenu(QMenu* file);
    void updateInterruptedSweepsMenu();
    void onJournalClosed(const QString& path, bool kept);
    /// Why the journal's sweep cannot be resumed here and now, or "".
    QString whyCannotResume(const Journal& journal) const;

    // Re-running the marked cells (main_window_rerun.cpp).
    void buildRerunAction(QMenu* run);
    /// The count in Re-run's label, from the run on screen.
    void updateMarkedCount();
    /// The line that ends a re-run, in the run controls and the log.
    QString rerunSummary(const RunResult& result) const;

    // Run files (main_window_files.cpp).
    /// Asks to save an unexported run before `action` (e.g. "Quit") discards it; false if the user cancelled.
    bool confirmDiscard(const QString& action);
    /// Why a run cannot replace the one on screen now (a sweep is running), or "".
    QString whyCannotOpenRun() const;
    /// Opens `path` from a menu, after confirmDiscard(); errors are shown.
    void openRunInteractively(const QString& path);
    /// Keeps a copy of a finished sweep's run in the history; logs where, or why not.
    void saveToHistory(const RunResult& result);
    void openRunDialog();
    void loadBaselineDialog();
    /// `path` was opened or exported as JSON: first in File ▸ Recent files.
    void addRecentFile(const QString& path);
    /// An open-file dialog for saved runs, starting in the last directory used; empty if cancelled.
    QString askOpenPath(const QString& title);
    /// A save-file dialog starting in the last directory used; empty if cancelled.
    QString askSavePath(const QString& title, const QString& suggested_name, const QString& filter);
    /// `path` was opened or written: its directory is where the next dialog starts.
    void rememberDirectoryOf(const QString& path);

    // Exports (main_window_exports.cpp).
    void exportMarkdownDialog();
    /// True when the run was written.
    bool exportJsonDialog();
    void exportCsvDialog();
    void exportChartDialog(bool pdf);
    void copyChart();
    /// The chart of the current tab (the latency chart when a non-chart tab is current), brought up to date.
    ChartWidget* currentChart() const;
    /// A progress dialog for `markdown`'s chart images, with Cancel; it shows itself past half a second.
    void showExportProgress(MarkdownExport* markdown);
    /// A save dialog's path for an export of the run on screen; empty (after saying why) when there is nothing to
    /// export or the user cancelled.
    QString askExportPath(const QString& title, const QString& suggested_name, const QString& filter);
    /// Asks for a path and writes the run there with `write` (which returns an error or ""), reporting the outcome.
    /// True when the file was written.
    bool exportRun(const QString& title, const QString& suggested_name, const QString& filter,
        const std::function<QString(const QString&)>& write);
    /// `path` was written: says so, and its directory is where the next dialog starts.
    void showWritten(const QString& path);
    ChartImageSize chartImageSize() const;

    void showError(const QString& title, const QString& message);

    Settings m_settings;
    RunHistory m_history;
    RunStore* m_store;
    SweepController* m_controller;
    InteractionMonitor* m_interactions;
    std::optional<Capabilities> m_capabilities;
    ConfigPanel* m_config_panel;
    RunControls* m_run_controls;
    QSplitter* m_splitter;
    QTabWidget* m_tabs;
    LatencyChart* m_latency_chart;
    SpeedupChart* m_speedup_chart;
    SpeedupHeatmap* m_heatmap;
    RooflineChart* m_roofline_chart;
    ResultsView* m_results_view;
    ReportView* m_report_view;
    LogView* m_log_view;
    QLabel* m_environment_label;
    QMenu* m_recent_menu = nullptr;
    QMenu* m_history_menu = nullptr;
    QMenu* m_interrupted_menu = nullptr;
    QAction* m_charts_with_markdown = nullptr;
    QAction* m_light_charts_with_markdown = nullptr;
    QString m_history_copy;
    QPointer<MarkdownExport> m_markdown_export; ///< the Markdown export being written, if any
    std::optional<RerunPlan> m_rerun; ///< the running re-run
    QString m_rerun_source_path; ///< the file the re-run run came from, given back should the re-run not start
    bool m_close_requested = false;
    bool m_confirm_discard = true;
};

} // namespace compilescope
