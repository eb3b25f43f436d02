// The main window's run files: File ▸ Open and Compare (their dialogs start in the last directory used), the Recent
// files and Recent runs menus, the copy of each finished sweep kept in the history, and asking before an unexported
// run on screen is replaced.
#include "main_window.h"

#include "config_panel.h"
#include "file_dialog.h"
#include "log_view.h"
#include "run_controls.h"
#include "run_file.h"
#include "run_store.h"
#include "sweep_controller.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QUrl>

#include <utility>

namespace compilescope {

namespace {

/// A list entry of a menu: the first nine get 1…9 as their mnemonic; `text` is shown as it is (a file name's "&" too).
QString numbered(qsizetype index, QString text)
{
    text.replace(QLatin1Char('&'), QStringLiteral("&&"));
    return index < 9 ? QStringLiteral("&%1 %2").arg(index + 1).arg(text) : text;
}

} // namespace

QString MainWindow::openRunFile(const QString& path)
{
    if (QString why = whyCannotOpenRun(); !why.isEmpty())
        return why;
    LoadedRun loaded = loadRunFile(path);
    if (!loaded.run) {
        m_settings.removeRecentFile(path);
        updateRecentFilesMenu();
        return loaded.error;
    }
    statusBar()->clearMessage();
    const int count = static_cast<int>(loaded.run->measurements.size());
    m_config_panel->setConfig(loaded.run->config);
    m_store->setRun(std::move(*loaded.run), path);
    addRecentFile(path);
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
    m_log_view->appendLine(tr("Comparison run: %1").arg(path));
    updateTitle();
    return {};
}

void MainWindow::openRunDialog()
{
    const QString path = askOpenPath(tr("Open run"));
    if (path.isEmpty())
        return;
    openRunInteractively(path);
    if (m_store->runPath() == path)
        rememberDirectoryOf(path);
}

void MainWindow::loadBaselineDialog()
{
    const QString path = askOpenPath(tr("Compare with another run"));
    if (path.isEmpty())
        return;
    if (const QString error = loadBaselineFile(path); !error.isEmpty())
        return showError(tr("Compare with another run"), error);
    rememberDirectoryOf(path);
}

QString MainWindow::whyCannotOpenRun() const
{
    return m_controller->isRunning() ? tr("A sweep is running; cancel it before opening a run.") : QString();
}

void MainWindow::openRunInteractively(const QString& path)
{
    if (!confirmDiscard(tr("Open %1").arg(QFileInfo(path).fileName())))
        return;
    if (const QString error = openRunFile(path); !error.isEmpty())
        showError(tr("Open run"), error);
}

bool MainWindow::hasUnexportedRun() const
{
    return !m_store->isLive() && m_store->runPath().isEmpty() && finished_measurements(m_store->run()) > 0;
}

bool MainWindow::confirmDiscard(const QString& action)
{
    if (!m_confirm_discard || !hasUnexportedRun())
        return true;
    QMessageBox box(QMessageBox::Question, action,
        tr("%1 and discard the run on screen? Its %2 finished measurements were not exported as JSON.")
            .arg(action)
            .arg(finished_measurements(m_store->run())),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.button(QMessageBox::Save)->setText(tr("Save…"));
    box.setDefaultButton(QMessageBox::Save);
    box.setInformativeText(m_history_copy.isEmpty()
            ? tr("No copy of it is in the history: Discard loses these results.")
            : tr("A copy was kept in the history (File ▸ Recent runs, the newest %1 runs are kept):\n%2")
                  .arg(RunHistory::kept_runs)
                  .arg(QDir::toNativeSeparators(m_history_copy)));
    switch (box.exec()) {
    case QMessageBox::Save:
        return exportJsonDialog();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::saveToHistory(const RunResult& result)
{
    if (finished_measurements(result) == 0)
        return;
    QString error;
    m_history_copy = m_history.save(result, &error);
    if (m_history_copy.isEmpty()) {
        m_log_view->appendLine(tr("Could not keep a copy in the history: %1").arg(error));
        return;
    }
    m_log_view->appendLine(tr("Kept a copy in the history: %1").arg(m_history_copy));
    updateHistoryMenu();
}

void MainWindow::addRecentFile(const QString& path)
{
    m_settings.addRecentFile(path);
    updateRecentFilesMenu();
}

void MainWindow::updateRecentFilesMenu()
{
    m_recent_menu->clear();
    const QStringList files = m_settings.recentFiles();
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString& path = files[i];
        m_recent_menu
            ->addAction(numbered(i, QFileInfo(path).fileName()), this, [this, path] { openRunInteractively(path); })
            ->setToolTip(path);
    }
    m_recent_menu->setEnabled(!files.isEmpty());
}

void MainWindow::updateHistoryMenu()
{
    m_history_menu->clear();
    const QList<HistoryEntry> entries = m_history.entries();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const HistoryEntry& entry = entries[i];
        const QString count = entry.partial()
            ? tr("%1 of %2 measurements (partial)").arg(entry.finished_measurements).arg(entry.planned_measurements)
            : tr("%1 measurements").arg(entry.finished_measurements);
        const QString text = tr("%1 · %2 · %3 · %4")
                                 .arg(QLocale().toString(entry.started.toLocalTime(), QLocale::ShortFormat),
                                     entry.workloads, entry.device.toUpper(), count);
        const QString path = entry.path;
        m_history_menu->addAction(numbered(i, text), this, [this, path] { openRunInteractively(path); })
            ->setToolTip(path);
    }
    if (!entries.isEmpty())
        m_history_menu->addSeparator();
    m_history_menu->addAction(tr("Show the history &folder"), this, [this] {
        QDir().mkpath(m_history.directory());
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_history.directory()));
    });
}

QString MainWindow::askOpenPath(const QString& title)
{
    return askOpenFile(this, title, m_settings.lastDirectory(), tr("CompileScope runs (*.json);;All files (*)"));
}

QString MainWindow::askSavePath(const QString& title, const QString& suggested_name, const QString& filter)
{
    const QString directory = m_settings.lastDirectory();
    return askSaveFile(this, title,
        directory.isEmpty() ? QDir::home().filePath(suggested_name) : QDir(directory).filePath(suggested_name), filter);
}

void MainWindow::rememberDirectoryOf(const QString& path)
{
    m_settings.setLastDirectory(QFileInfo(path).absolutePath());
}

} // namespace compilescope
