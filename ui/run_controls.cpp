#include "run_controls.h"

#include "display_format.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace compilescope {

RunControls::RunControls(QWidget* parent)
    : QWidget(parent)
    , m_run(new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Run"), this))
    , m_cancel(new QAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Cancel"), this))
    , m_rerun(new QAction(style()->standardIcon(QStyle::SP_BrowserReload), QString(), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
{
    m_run->setObjectName(QStringLiteral("runAction"));
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_cancel->setObjectName(QStringLiteral("cancelAction"));
    m_cancel->setShortcut(QKeySequence(Qt::Key_Escape));
    m_rerun->setObjectName(QStringLiteral("rerunAction"));

    auto* run_button = new QToolButton(this);
    run_button->setDefaultAction(m_run);
    run_button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* cancel_button = new QToolButton(this);
    cancel_button->setDefaultAction(m_cancel);
    cancel_button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* rerun_button = new QToolButton(this);
    rerun_button->setDefaultAction(m_rerun);
    rerun_button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_progress->setObjectName(QStringLiteral("sweepProgress"));
    m_progress->setMinimumWidth(180);
    m_progress->setFormat(QStringLiteral("%v / %m"));
    m_progress->setValue(0);
    m_progress->hide(); // shown from the first sweep on
    m_status->setObjectName(QStringLiteral("sweepStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_elapsed_tick.setInterval(1000);
    connect(&m_elapsed_tick, &QTimer::timeout, this, &RunControls::showRunningStatus);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(run_button);
    layout->addWidget(cancel_button);
    layout->addWidget(rerun_button);
    layout->addWidget(m_progress);
    layout->addWidget(m_status, 1);
    updateActions();
}

void RunControls::setRunnable(bool runnable, const QString& reason)
{
    m_runnable = runnable;
    m_reason = reason;
    updateActions();
}

void RunControls::setRunning(bool running)
{
    m_running = running;
    m_cancelling = false;
    if (running) {
        m_progress->show();
        m_progress->setRange(0, 0); // busy until the first progress report says how many
        m_current = tr("Starting…");
        m_eta_s = -1;
        m_sweep_clock.start();
        m_elapsed_tick.start();
        showRunningStatus();
    } else {
        m_elapsed_tick.stop();
    }
    updateActions();
}

void RunControls::setMarkedCount(int marked)
{
    m_marked = marked;
    updateActions();
}

void RunControls::showProgress(const SweepProgress& progress)
{
    m_progress->setRange(0, std::max(progress.total, 1));
    m_progress->setValue(progress.completed);
    m_current = QString::fromStdString(progress.current);
    m_eta_s = progress.eta_s;
    showRunningStatus();
}

void RunControls::showCancelling()
{
    m_cancelling = true;
    m_cancel->setEnabled(false);
    showRunningStatus();
}

void RunControls::showRunningStatus()
{
    if (!m_running)
        return;
    QString text = m_cancelling ? tr("Cancelling after the current iteration…") : m_current;
    text += tr(" · elapsed %1").arg(formatDuration(static_cast<double>(m_sweep_clock.elapsed()) / 1000.0));
    if (!m_cancelling && m_eta_s >= 0)
        text += tr(" · about %1 left").arg(formatDuration(m_eta_s));
    m_status->setText(text);
}

void RunControls::showMessage(const QString& message)
{
    m_status->setText(message);
}

void RunControls::showSweepEnd(const QString& message, int finished, int planned)
{
    m_progress->setRange(0, std::max(planned, 1));
    m_progress->setValue(finished);
    m_status->setText(message);
}

void RunControls::clearProgress()
{
    m_progress->hide();
}

void RunControls::updateActions()
{
    m_run->setEnabled(m_runnable && !m_running);
    m_run->setToolTip(m_running ? tr("A sweep is running") : m_runnable ? tr("Run the sweep (Ctrl+R)") : m_reason);
    m_cancel->setEnabled(m_running);
    m_cancel->setToolTip(tr("Stop after the current timed iteration, keeping finished measurements (Esc)"));
    m_rerun->setText(tr("Re-run &marked cells (%1)").arg(m_marked));
    m_rerun->setEnabled(m_marked > 0 && !m_running);
    m_rerun->setToolTip(m_running ? tr("A sweep is running")
            : m_marked == 0       ? tr("No measurement of this run was taken under load")
                                  : tr("Measure again the %n measurement(s) taken under load (marked with a dashed "
                                             "ring, a dashed frame, ⚠ in Results), with every variant of their cell and "
                                             "phase: they are timed together. Every other measurement is kept.",
                                      nullptr, m_marked));
}

} // namespace compilescope
