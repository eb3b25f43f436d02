// The main window's exports: the run as Markdown (optionally with chart PNGs, written while the window stays in use:
// markdown_export.h), JSON and CSV, the current chart as PNG or PDF or to the clipboard. Each asks for a path, writes
// through run_export.h, markdown_export.h or chart_export.h and says what it wrote or why it could not.
#include "main_window.h"

#include "chart_export_dialog.h"
#include "chart_widget.h"
#include "latency_chart.h"
#include "markdown_export.h"
#include "run_controls.h"
#include "run_export.h"
#include "run_store.h"

#include <QAction>
#include <QProgressDialog>
#include <QTabWidget>

namespace compilescope {

void MainWindow::exportMarkdownDialog()
{
    const QString title = tr("Export Markdown");
    if (m_markdown_export) {
        m_run_controls->showMessage(tr("Still writing %1").arg(m_markdown_export->path()));
        return;
    }
    const QString path = askExportPath(title, QStringLiteral("report.md"), tr("Markdown (*.md)"));
    if (path.isEmpty())
        return;
    startMarkdownExport(path);
}

MarkdownExport* MainWindow::startMarkdownExport(const QString& path)
{
    ChartImageSize size = chartImageSize();
    size.light_background = m_light_charts_with_markdown->isChecked();
    auto* markdown = new MarkdownExport(m_store->run(), m_store->baseline(), m_store->baselinePath(), path,
        m_charts_with_markdown->isChecked(), size, this);
    m_markdown_export = markdown;
    connect(markdown, &MarkdownExport::finished, this, [this, markdown](const QString& error, bool cancelled) {
        markdown->deleteLater();
        if (cancelled)
            m_run_controls->showMessage(tr("Cancelled: %1 not written (%2 of %3 chart images were)")
                                            .arg(markdown->path())
                                            .arg(markdown->writtenImageCount())
                                            .arg(markdown->imageCount()));
        else if (!error.isEmpty())
            showError(tr("Export Markdown"), error);
        else
            showWritten(markdown->path());
    });
    if (markdown->imageCount() > 0)
        showExportProgress(markdown);
    markdown->start();
    return markdown;
}

void MainWindow::showExportProgress(MarkdownExport* markdown)
{
    // Not modal: the window stays in use while the images are written. Shown only when it takes a while.
    auto* dialog
        = new QProgressDialog(tr("Writing the report's chart images…"), tr("Cancel"), 0, markdown->imageCount(), this);
    dialog->setObjectName(QStringLiteral("markdownExportProgress"));
    dialog->setWindowTitle(tr("Export Markdown"));
    dialog->setMinimumDuration(500);
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    dialog->setValue(0);
    connect(markdown, &MarkdownExport::progress, dialog, &QProgressDialog::setValue);
    connect(dialog, &QProgressDialog::canceled, markdown, &MarkdownExport::cancel);
    connect(markdown, &MarkdownExport::finished, dialog, &QObject::deleteLater);
}

bool MainWindow::exportJsonDialog()
{
    return exportRun(tr("Export JSON"), QStringLiteral("run.json"), tr("JSON (*.json)"),
        [this](const QString& path) { return exportJsonFile(path); });
}

QString MainWindow::exportJsonFile(const QString& path)
{
    if (QString error = exportJson(m_store->run(), path); !error.isEmpty())
        return error;
    m_store->setRunPath(path);
    addRecentFile(path);
    rememberDirectoryOf(path);
    updateTitle();
    return {};
}

void MainWindow::exportCsvDialog()
{
    exportRun(tr("Export CSV"), QStringLiteral("results.csv"), tr("CSV (*.csv)"),
        [this](const QString& path) { return exportCsv(m_store->run(), path); });
}

QString MainWindow::askExportPath(const QString& title, const QString& suggested_name, const QString& filter)
{
    if (m_store->run().measurements.empty()) {
        showError(title, tr("Nothing to export yet: run a sweep or open a saved run first."));
        return {};
    }
    return askSavePath(title, suggested_name, filter);
}

bool MainWindow::exportRun(const QString& title, const QString& suggested_name, const QString& filter,
    const std::function<QString(const QString&)>& write)
{
    const QString path = askExportPath(title, suggested_name, filter);
    if (path.isEmpty())
        return false;
    if (const QString error = write(path); !error.isEmpty()) {
        showError(title, error);
        return false;
    }
    showWritten(path);
    return true;
}

void MainWindow::showWritten(const QString& path)
{
    rememberDirectoryOf(path);
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
    m_settings.setValue(SettingKey::chart_export_light_background, size.light_background);
    const QString path
        = askSavePath(tr("Export chart"), chart->fileStem() + (pdf ? QStringLiteral(".pdf") : QStringLiteral(".png")),
            pdf ? tr("PDF (*.pdf)") : tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    chart->fitTitle(size.width); // the image's width, not the screen's
    const QString error = pdf ? saveChartPdf(chart->plot(), path, size) : saveChartPng(chart->plot(), path, size);
    chart->fitTitle();
    if (!error.isEmpty())
        return showError(tr("Export chart"), error);
    showWritten(path);
}

void MainWindow::copyChart()
{
    ChartWidget* chart = currentChart();
    chart->fitTitle(chartImageSize().width);
    copyChartToClipboard(chart->plot(), chartImageSize());
    chart->fitTitle();
    m_run_controls->showMessage(tr("Copied the %1 chart to the clipboard").arg(chart->chartName()));
}

ChartWidget* MainWindow::currentChart() const
{
    ChartWidget* chart = qobject_cast<ChartWidget*>(m_tabs->currentWidget());
    if (!chart)
        chart = m_latency_chart;
    chart->rebuildIfStale();
    return chart;
}

ChartImageSize MainWindow::chartImageSize() const
{
    return { m_settings.value(SettingKey::chart_export_width).toInt(),
        m_settings.value(SettingKey::chart_export_height).toInt(),
        m_settings.value(SettingKey::chart_export_scale).toDouble(),
        m_settings.value(SettingKey::chart_export_light_background).toBool() };
}

} // namespace compilescope
