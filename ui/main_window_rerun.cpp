// The main window's Run ▸ Re-run marked cells: the measurements of the run on screen taken under load are measured
// again, with every variant of their cell and phase, in the worker like a sweep (compilescope/rerun.h); the charts and
// the Results show each new measurement in its predecessor's place as it arrives.
#include "main_window.h"

#include "compilescope/file_io.h"
#include "compilescope/validation.h"
#include "display_format.h"
#include "interaction_monitor.h"
#include "log_view.h"
#include "machine.h"
#include "run_controls.h"
#include "run_store.h"
#include "sweep_controller.h"

#include <QAction>
#include <QMenu>
#include <QStatusBar>

#include <algorithm>

namespace compilescope {

void MainWindow::buildRerunAction(QMenu* run)
{
    run->addSeparator();
    run->addAction(m_run_controls->rerunAction());
    connect(m_run_controls->rerunAction(), &QAction::triggered, this, [this] {
        if (const QString why = rerunMarkedCells(); !why.isEmpty())
            showError(tr("Re-run marked cells"), why);
    });
    connect(m_store, &RunStore::runReset, this, &MainWindow::updateMarkedCount);
    connect(m_store, &RunStore::runFinished, this, &MainWindow::updateMarkedCount);
    updateMarkedCount();
}

void MainWindow::updateMarkedCount()
{
    // During a sweep the action is off, and the run grows: counted once it has ended.
    const size_t marked = m_store->isLive() ? 0 : marked_measurements(m_store->run(), RerunSelection {});
    m_run_controls->setMarkedCount(static_cast<int>(marked));
}

QString MainWindow::rerunMarkedCells()
{
    if (m_controller->isRunning())
        return tr("A sweep is running; re-run the marked cells once it has ended.");
    if (!m_capabilities)
        return tr("LibTorch has not described this machine yet; try again in a moment.");
    const RunResult& run = m_store->run();
    if (marked_measurements(run, RerunSelection {}) == 0)
        return tr("No measurement of this run was taken under load: there is nothing to re-run.");
    // A run file names the Python a re-run starts and where it writes traces: only the user's own is used.
    if (const QString path = m_store->runPath(); !path.isEmpty()) {
        try {
            check_trusted_file(path.toStdString(), "run file",
                "a re-run starts the Python the run names (config.python) and writes where it says "
                "(config.trace_dir)");
        } catch (const FileError& error) {
            return tr("Cannot re-run this run: %1").arg(QString::fromStdString(error.what()));
        }
    }
    if (const auto errors = machine().validate(run.config); !errors.empty())
        return tr("The run's configuration cannot run here:\n%1").arg(QString::fromStdString(format_errors(errors)));
    if (const std::string change = setup_change(run, m_capabilities->environment); !change.empty())
        return tr("The run was measured elsewhere (%1); timings from two set-ups do not belong in one run. Start a "
                  "new run.")
            .arg(QString::fromStdString(change));

    RerunPlan plan(run, RerunSelection {});
    m_rerun_source_path = m_store->runPath();
    m_history_copy.clear();
    statusBar()->clearMessage();
    QString line = tr("Re-running %n measurement(s) taken under load: ", nullptr, static_cast<int>(plan.marked()))
        + tr("%1 measurement(s) of %2 cell(s) and phase(s) are measured again, %3 kept as they were")
              .arg(plan.remeasured())
              .arg(plan.marked_groups())
              .arg(plan.request().measurements.size());
    if (plan.unfinished() > 0)
        line += tr("; the %1 measurement(s) the run did not finish are measured too").arg(plan.unfinished());
    m_store->beginLiveRerun(run);
    m_rerun = std::move(plan);
    m_run_controls->setRunning(true);
    m_log_view->appendLine(line);
    m_interactions->start();
    m_controller->rerun(m_rerun->request());
    updateTitle();
    return {};
}

QString MainWindow::rerunSummary(const RunResult& result) const
{
    const auto rerun = std::count_if(result.measurements.begin(), result.measurements.end(), was_rerun);
    const auto under_load = std::count_if(result.measurements.begin(), result.measurements.end(), taken_under_load);
    QString summary = result.cancelled ? tr("Re-run cancelled after %1: what it did not finish keeps its old "
                                            "measurements")
                                             .arg(formatDuration(result.wall_time_s))
                                       : tr("Re-run finished in %1").arg(formatDuration(result.wall_time_s));
    if (!m_controller->workerDeath().isEmpty())
        summary += tr(" (the sweep worker %1)").arg(m_controller->workerDeath());
    return summary + tr(" · %1 measurement(s) of the run are re-runs · %2 taken under load").arg(rerun).arg(under_load);
}

} // namespace compilescope
