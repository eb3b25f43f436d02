#include "chart_export.h"

#include "chart_style.h"
#include "chart_widget.h"
#include "theme.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPdfWriter>
#include <QSaveFile>
#include <qcustomplot.h>

namespace compilescope {

namespace {

QString fileError(const QString& path, const QSaveFile& file)
{
    return QObject::tr("Could not write %1: %2").arg(path, file.errorString());
}

/// Draws a plot on the document palette for as long as it lives, then as on screen again. A chart widget takes
/// colours from its palette while it builds the plot (legend keys, reference lines, heatmap labels), so it is
/// rebuilt under the light palette; a bare plot is only recoloured.
class DocumentPaletteScope {
public:
    DocumentPaletteScope(QCustomPlot* plot, bool active)
        : m_plot(active ? plot : nullptr)
        , m_chart(active ? qobject_cast<ChartWidget*>(plot->parentWidget()) : nullptr)
    {
        if (m_chart) {
            m_had_own_palette = m_chart->testAttribute(Qt::WA_SetPalette);
            m_screen_palette = m_chart->palette();
            m_chart->setPalette(documentPalette());
            m_chart->rebuildNow();
        } else if (m_plot) {
            applyPalette(m_plot, documentPalette());
        }
    }
    ~DocumentPaletteScope()
    {
        if (m_chart) {
            // A default palette makes the chart follow the application's palette again.
            m_chart->setPalette(m_had_own_palette ? m_screen_palette : QPalette());
            m_chart->rebuildNow();
        } else if (m_plot) {
            applyPalette(m_plot, m_plot->palette());
        }
    }
    DocumentPaletteScope(const DocumentPaletteScope&) = delete;
    DocumentPaletteScope& operator=(const DocumentPaletteScope&) = delete;

private:
    QCustomPlot* m_plot;
    ChartWidget* m_chart;
    bool m_had_own_palette = false;
    QPalette m_screen_palette;
};

QPixmap renderPixmap(QCustomPlot* plot, const ChartImageSize& size)
{
    const DocumentPaletteScope palette(plot, size.light_background);
    return plot->toPixmap(size.width, size.height, size.scale);
}

} // namespace

QString saveChartPng(QCustomPlot* plot, const QString& path, const ChartImageSize& size)
{
    return writePngAtomically(renderChartImage(plot, size), path);
}

QImage renderChartImage(QCustomPlot* plot, const ChartImageSize& size)
{
    return renderPixmap(plot, size).toImage();
}

QString writePngAtomically(const QImage& image, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file);
    if (!image.save(&file, "PNG"))
        return QObject::tr("Could not encode %1 as PNG").arg(path);
    if (!file.commit())
        return fileError(path, file);
    return {};
}

QString saveChartPdf(QCustomPlot* plot, const QString& path, const ChartImageSize& size)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file);
    {
        QPdfWriter writer(&file);
        writer.setCreator(QStringLiteral("CompileScope"));
        writer.setResolution(72); // one point per logical pixel
        writer.setPageLayout(
            QPageLayout(QPageSize(QSizeF(size.width, size.height), QPageSize::Point, QString(), QPageSize::ExactMatch),
                QPageLayout::Portrait, QMarginsF(0, 0, 0, 0), QPageLayout::Point));
        QCPPainter painter;
        if (!painter.begin(&writer))
            return QObject::tr("Could not start a PDF for %1").arg(path);
        painter.setMode(QCPPainter::pmVectorized);
        painter.setWindow(0, 0, size.width, size.height);
        const DocumentPaletteScope palette(plot, size.light_background);
        plot->toPainter(&painter, size.width, size.height);
        painter.end();
    }
    if (!file.commit())
        return fileError(path, file);
    return {};
}

void copyChartToClipboard(QCustomPlot* plot, const ChartImageSize& size)
{
    QGuiApplication::clipboard()->setPixmap(renderPixmap(plot, size));
}

} // namespace compilescope
