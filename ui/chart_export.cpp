#include "chart_export.h"

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

} // namespace

QString saveChartPng(QCustomPlot* plot, const QString& path, const ChartImageSize& size)
{
    const QPixmap pixmap = plot->toPixmap(size.width, size.height, size.scale);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileError(path, file);
    if (!pixmap.save(&file, "PNG"))
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
        plot->toPainter(&painter, size.width, size.height);
        painter.end();
    }
    if (!file.commit())
        return fileError(path, file);
    return {};
}

void copyChartToClipboard(QCustomPlot* plot, const ChartImageSize& size)
{
    QGuiApplication::clipboard()->setPixmap(plot->toPixmap(size.width, size.height, size.scale));
}

} // namespace compilescope
