// Run (Ctrl+R), Cancel (Esc) and Re-run marked cells, and the progress of the running sweep: a bar, the current cell,
// the elapsed time (ticking every second, also while one long cell runs) and the ETA of the last progress report.
#pragma once

#include "compilescope/sweep_events.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;

namespace compilescope {

class RunControls : public QWidget {
    Q_OBJECT
public:
    explicit RunControls(QWidget* parent = nullptr);

    QAction* runAction() const { return m_run; }
    QAction* cancelAction() const { return m_cancel; }
    /// "Re-run marked cells (N)": measures again the run's measurements taken under load (compilescope/rerun.h).
    QAction* rerunAction() const { return m_rerun; }

    /// Whether the configuration can run; `reason` becomes Run's tooltip when it cannot.
    void setRunnable(bool runnable, const QString& reason);
    void setRunning(bool running);
    /// How many measurements of the run on screen are marked (taken under load): the count in Re-run's label; it is
    /// enabled when there are some and no sweep runs.
    void setMarkedCount(int marked);
    void showProgress(const SweepProgress& progress);
    void showCancelling();
    /// The last line, after a sweep ends or a file is loaded.
    void showMessage(const QString& message);
    /// The end of a sweep: `message`, and the bar at `finished` of `planned` (a cancelled sweep's bar stays where
    /// the finished work reached).
    void showSweepEnd(const QString& message, int finished, int planned);
    /// Hides the last sweep's progress (a file was opened instead).
    void clearProgress();

private:
    void updateActions();
    /// The running sweep's line: the current cell (or that a cancel is pending), elapsed time and ETA.
    void showRunningStatus();

    QAction* m_run;
    QAction* m_cancel;
    QAction* m_rerun;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTimer m_elapsed_tick;
    QElapsedTimer m_sweep_clock;
    QString m_current;
    double m_eta_s = -1;
    bool m_runnable = false;
    int m_marked = 0;
    bool m_running = false;
    bool m_cancelling = false;
    QString m_reason;
};

} // namespace compilescope
