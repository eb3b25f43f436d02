// Run (Ctrl+R) and Cancel (Esc), and the progress of the running sweep: a bar, the current cell and the ETA.
#pragma once

#include "compilescope/sweep.h"

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

    /// Whether the configuration can run; `reason` becomes Run's tooltip when it cannot.
    void setRunnable(bool runnable, const QString& reason);
    void setRunning(bool running);
    void showProgress(const SweepProgress& progress);
    void showCancelling();
    /// The last line, after a sweep ends or a file is loaded.
    void showMessage(const QString& message);
    /// Hides the last sweep's progress (a file was opened instead).
    void clearProgress();

private:
    void updateActions();

    QAction* m_run;
    QAction* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    bool m_runnable = false;
    bool m_running = false;
    QString m_reason;
};

} // namespace compilescope
