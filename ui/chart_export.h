// A chart as a file or on the clipboard: PNG at a chosen size and scale (high-DPI screenshots), vector PDF; on the
// app's palette or on a light one for documents.
#pragma once

#include <QImage>
#include <QString>

class QCustomPlot;

namespace compilescope {

struct ChartImageSize {
    int width = 1200; ///< logical pixels (PDF: points)
    int height = 700;
    double scale = 1.0; ///< PNG only: 2.0 doubles the pixel count for high-DPI screens
    bool light_background = false; ///< drawn on documentPalette() (theme.h) instead of the app's palette
};

/// Writes the plot as PNG atomically; returns an empty string or the error, naming the path.
QString saveChartPng(QCustomPlot* plot, const QString& path, const ChartImageSize& size);
/// The plot drawn at `size` (saveChartPng()'s image). On the GUI thread only: QCustomPlot draws there.
QImage renderChartImage(QCustomPlot* plot, const ChartImageSize& size);
/// Encodes `image` as PNG and writes it atomically; returns an empty string or the error, naming the path. Touches
/// no widget, so an export may run it on a worker thread.
QString writePngAtomically(const QImage& image, const QString& path);
/// Writes the plot as a one-page vector PDF atomically; returns an empty string or the error.
QString saveChartPdf(QCustomPlot* plot, const QString& path, const ChartImageSize& size);
void copyChartToClipboard(QCustomPlot* plot, const ChartImageSize& size);

} // namespace compilescope
