// The main window's handling of interrupted sweeps: the offer at start-up, File ▸ Resume interrupted sweep, and
// what Resume, Open what finished and Discard do. Kept apart from main_window.cpp, which wires everything else.
#include "main_window.h"

#include "compilescope/sweep_events.h"
#include "compilescope/validation.h"
#include "config_panel.h"
#include "interaction_monitor.h"
#include "interrupted_sweeps.h"
#include "journal_offer.h"
#include "log_view.h"
#include "machine.h"
#include "run_controls.h"
#include "run_store.h"
#include "sweep_controller.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QStatusBar>

#include <algorithm>

namespace compilescope {

namespace {

/// At most this many dialogs at start-up; older journals wait in File ▸ Resume interrupted sweep.
constexpr int offered_at_start = 3;

QString journalInUse(const QString& path)
{
    return MainWindow::tr("The journal %1 is being written by a running sweep.").arg(path);
}

} // namespace

void MainWindow::buildInterruptedSweepsMenu(QMenu* file)
{
    m_interrupted_menu = file->addMenu(tr("Resume &interrupted sweep"));
    m_interrupted_menu->setObjectName(QStringLiteral("interruptedSweepsMenu"));
    m_interrupted_menu->setToolTipsVisible(true);
    // The journals may have changed since the last refresh (another instance of the app finished one).
    connect(m_interrupted_menu, &QMenu::aboutToShow, this, &MainWindow::updateInterruptedSweepsMenu);
    updateInterruptedSweepsMenu();
}

void MainWindow::updateInterruptedSweepsMenu()
{
    m_interrupted_menu->clear();
    const QList<InterruptedSweep> sweeps = findInterruptedSweeps();
    for (const InterruptedSweep& sweep : sweeps) {
        QAction* action = m_interrupted_menu->addAction(menuTextOfInterruptedSweep(sweep) + QStringLiteral("…"), this,
            [this, path = sweep.path] { offerInterruptedSweep(path); });
        action->setToolTip(QDir::toNativeSeparators(sweep.path));
    }
    m_interrupted_menu->setEnabled(!sweeps.isEmpty());
}

void MainWindow::offerInterruptedSweeps()
{
    // Resume needs this machine's description, and the window is complete by then.
    if (!m_capabilities) {
        connect(
            this, &MainWindow::capabilitiesReady, this, &MainWindow::offerInterruptedSweeps, Qt::SingleShotConnection);
        return;
    }
    const QList<InterruptedSweep> sweeps = findInterruptedSweeps();
    for (qsizetype i = 0; i < std::min<qsizetype>(sweeps.size(), offered_at_start); ++i) {
        // Once one is resumed the others wait in the menu: only one sweep runs at a time.
        if (m_controller->isRunning())
            break;
        if (QFileInfo::exists(sweeps[i].path))
            offerInterruptedSweep(sweeps[i].path);
    }
    updateInterruptedSweepsMenu();
}

void MainWindow::offerInterruptedSweep(const QString& path)
{
    if (journal_in_use(path.toStdString())) {
        showError(tr("Interrupted sweep"), journalInUse(path));
        updateInterruptedSweepsMenu();
        return;
    }
    const InterruptedSweep sweep = interruptedSweepAt(path);
    QString error;
    if (!sweep.journal) {
        if (askDeleteUnreadableJournal(this, sweep) && !removeJournal(path, &error))
            showError(tr("Unreadable journal"), error);
        updateInterruptedSweepsMenu();
        return;
    }
    switch (askAboutInterruptedSweep(this, sweep, whyCannotResume(*sweep.journal))) {
    case JournalChoice::resume:
        if (confirmDiscard(tr("Resume the interrupted sweep")))
            error = resumeInterruptedSweep(path);
        break;
    case JournalChoice::open_finished:
        if (confirmDiscard(tr("Open what finished")))
            error = openInterruptedSweep(path);
        break;
    case JournalChoice::discard:
        if (confirmDiscardOfInterruptedSweep(this, sweep) && removeJournal(path, &error))
            m_log_view->appendLine(tr("Discarded the interrupted sweep's journal %1").arg(path));
        break;
    case JournalChoice::later:
        break;
    }
    if (!error.isEmpty())
        showError(tr("Interrupted sweep"), error);
    updateInterruptedSweepsMenu();
}

QString MainWindow::whyCannotResume(const Journal& journal) const
{
    if (m_controller->isRunning())
        return tr("A sweep is running; it can be resumed once that one has ended.");
    if (!m_capabilities)
        return tr("LibTorch has not described this machine yet; try again in a moment.");
    if (const auto errors = machine().validate(journal.run.config); !errors.empty())
        return tr("The journal holds an invalid configuration:\n%1").arg(QString::fromStdString(format_errors(errors)));
    if (const std::string change = setup_change(journal.run, m_capabilities->environment); !change.empty())
        return tr("It was written elsewhere (%1); timings from two set-ups do not belong in one run. Open what "
                  "finished, or start a new run.")
            .arg(QString::fromStdString(change));
    return {};
}

QString MainWindow::resumeInterruptedSweep(const QString& path)
{
    if (journal_in_use(path.toStdString()))
        return journalInUse(path);
    const InterruptedSweep sweep = interruptedSweepAt(path);
    if (!sweep.journal)
        return sweep.error;
    if (QString why = whyCannotResume(*sweep.journal); !why.isEmpty())
        return why;
    const SweepConfig& config = sweep.journal->run.config;
    m_history_copy.clear();
    statusBar()->clearMessage();
    m_config_panel->setConfig(config);
    m_settings.setLastConfiguration(config);
    m_store->beginLiveRun(config, m_capabilities->environment);
    m_run_controls->setRunning(true);
    QString line
        = tr("Resuming %1: %2 of %3 measurements finished before").arg(path).arg(sweep.finished()).arg(sweep.planned());
    if (sweep.journal->torn_lines > 0)
        line += tr(" (%1 unreadable line(s) ignored: the process was killed mid-write)").arg(sweep.journal->torn_lines);
    m_log_view->appendLine(line);
    m_interactions->start();
    m_controller->resume(path, config);
    updateTitle();
    updateInterruptedSweepsMenu();
    return {};
}

QString MainWindow::openInterruptedSweep(const QString& path)
{
    if (QString why = whyCannotOpenRun(); !why.isEmpty())
        return why;
    if (journal_in_use(path.toStdString()))
        return journalInUse(path);
    const InterruptedSweep sweep = interruptedSweepAt(path);
    if (!sweep.journal)
        return sweep.error;
    RunResult run = runOfInterruptedSweep(sweep);
    const int finished = finished_measurements(run);
    statusBar()->clearMessage();
    m_config_panel->setConfig(run.config);
    m_store->setRun(run);
    m_run_controls->clearProgress();
    m_run_controls->showMessage(tr("Opened what finished of the interrupted sweep: %1 of %2 measurements")
                                    .arg(sweep.finished())
                                    .arg(sweep.planned()));
    m_log_view->appendLine(tr("Opened what finished of the interrupted sweep %1").arg(path));
    m_history_copy.clear();
    saveToHistory(run);
    // The journal goes once the history holds its measurements; if that copy failed, it stays for another try.
    QString error;
    if (finished > 0 && m_history_copy.isEmpty())
        m_log_view->appendLine(tr("The journal %1 is kept: its run could not be copied to the history").arg(path));
    else if (!removeJournal(path, &error))
        m_log_view->appendLine(error);
    updateTitle();
    updateInterruptedSweepsMenu();
    return {};
}

void MainWindow::onJournalClosed(const QString& path, bool kept)
{
    if (kept) {
        m_log_view->appendLine(tr("The sweep can be resumed: File ▸ Resume interrupted sweep runs only the missing "
                                  "measurements (journal %1)")
                                   .arg(path));
        statusBar()->showMessage(tr("The sweep can be resumed: File ▸ Resume interrupted sweep"));
    }
    updateInterruptedSweepsMenu();
}

} // namespace compilescope
