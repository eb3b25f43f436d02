#include "scripted_session.h"

#include "config_panel.h"
#include "main_window.h"
#include "run_export.h"
#include "run_store.h"

#include <QDir>
#include <QTemporaryFile>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

namespace compilescope {

namespace {

/// Why `directory` cannot take the exports (created if missing, then a probe file written and removed), or "".
QString checkExportDirectory(const QString& directory)
{
    if (!QDir().mkpath(directory))
        return QObject::tr("--export-dir: cannot create %1").arg(directory);
    QTemporaryFile probe(QDir(directory).filePath(QStringLiteral(".compilescope-write-check-XXXXXX")));
    if (!probe.open())
        return QObject::tr("--export-dir: cannot write to %1: %2").arg(directory, probe.errorString());
    return {};
}

/// Long enough for the charts' throttled redraw and the capability probe's answer.
constexpr int screenshot_delay_ms = 1500;

} // namespace

ScriptedSession::ScriptedSession(MainWindow& window, LaunchOptions options, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_options(std::move(options))
{
}

void ScriptedSession::start()
{
    // A session that quits by itself has nobody to answer "save the run first?".
    if (m_options.quit)
        m_window.setConfirmDiscard(false);
    // An interactive start offers to resume the sweeps that were interrupted; a scripted one never stops to ask.
    if (!m_options.run && !m_options.quit && m_options.screenshot.isEmpty() && m_options.export_dir.isEmpty())
        QMetaObject::invokeMethod(&m_window, &MainWindow::offerInterruptedSweeps, Qt::QueuedConnection);
    // As the CLI does: a directory that cannot take the exports is refused before the sweep, not after it.
    if (!m_options.export_dir.isEmpty()) {
        if (const QString error = checkExportDirectory(m_options.export_dir); !error.isEmpty())
            return finish(2, error);
    }
    if (m_options.replacesConfiguration()) {
        // A scripted configuration starts from the defaults, not from whatever the user last ran, so that the same
        // command line measures the same thing everywhere. The variants are ticked once LibTorch has named them.
        cli::ParsedSweepFlags parsed = cli::apply_sweep_flags(m_options.sweep);
        if (!parsed.errors.empty()) {
            const cli::UsageError& error = parsed.errors.front();
            return finish(2, QString::fromStdString(error.field + " (" + error.flag + "): " + error.message));
        }
        parsed.config.variants = SweepConfig().variants;
        m_window.configPanel()->setConfig(parsed.config);
    }
    if (!m_options.open_path.isEmpty()) {
        if (const QString error = m_window.openRunFile(m_options.open_path); !error.isEmpty())
            return finish(2, error);
    }
    if (!m_options.baseline_path.isEmpty()) {
        if (const QString error = m_window.loadBaselineFile(m_options.baseline_path); !error.isEmpty())
            return finish(2, error);
    }
    if (!m_options.variants().empty() && !m_options.run) {
        if (m_window.hasCapabilities())
            applyVariants();
        else
            connect(&m_window, &MainWindow::capabilitiesReady, this, &ScriptedSession::applyVariants,
                Qt::SingleShotConnection);
    }
    if (m_options.run) {
        connect(&m_window, &MainWindow::sweepEnded, this, &ScriptedSession::onSweepEnded, Qt::SingleShotConnection);
        if (m_window.hasCapabilities())
            runWhenReady();
        else
            connect(&m_window, &MainWindow::capabilitiesReady, this, &ScriptedSession::runWhenReady,
                Qt::SingleShotConnection);
        return;
    }
    onSweepEnded(true);
}

void ScriptedSession::runWhenReady()
{
    applyVariants();
    if (!m_window.startSweep())
        finish(2, tr("The configuration cannot run:\n%1").arg(m_window.configPanel()->validationMessage()));
}

void ScriptedSession::applyVariants()
{
    const std::vector<std::string> names = m_options.variants();
    if (names == std::vector<std::string> { "all" })
        m_window.configPanel()->checkAvailableVariants();
    else if (!names.empty())
        m_window.configPanel()->checkVariants(names);
}

void ScriptedSession::onSweepEnded(bool completed)
{
    if (!completed)
        return finish(2, tr("The sweep did not run."));
    if (!m_options.export_dir.isEmpty()) {
        const QString error = exportAll(
            m_window.store().run(), m_window.store().baseline(), m_options.export_dir, m_window.store().baselinePath());
        if (!error.isEmpty())
            return finish(2, error);
        QTextStream(stdout)
            << tr("Wrote report.md, run.json, results.csv and the chart PNGs to %1").arg(m_options.export_dir)
            << Qt::endl;
    }
    const auto& measurements = m_window.store().run().measurements;
    const bool any_failed = std::any_of(measurements.begin(), measurements.end(),
        [](const Measurement& m) { return m.status == MeasurementStatus::failed; });
    if (m_options.screenshot.isEmpty())
        return finish(any_failed ? 1 : 0);
    // The charts redraw on a timer after the last result; the grab waits for them.
    QTimer::singleShot(screenshot_delay_ms, this, [this, any_failed] {
        if (!m_window.grab().save(m_options.screenshot))
            return finish(2, tr("Could not save the screenshot %1").arg(m_options.screenshot));
        finish(any_failed ? 1 : 0);
    });
}

void ScriptedSession::finish(int exit_code, const QString& error)
{
    if (!error.isEmpty())
        QTextStream(stderr) << "compilescope: " << error << Qt::endl;
    if (m_options.quit)
        Q_EMIT done(exit_code);
}

} // namespace compilescope
