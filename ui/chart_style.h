// The look every chart shares: palette-following colours, log-scale ticks that stay readable, a title row and a
// legend beside (never over) the data.
#pragma once

#include <qcustomplot.h>

#include <QPalette>
#include <QString>
#include <QVector>

class QCPAxis;
class QCPLayoutElement;
class QCPTextElement;
class QCustomPlot;
class QCPRange;

namespace compilescope {

/// Colours the plot's background, axes, grid, legend and title from `palette`.
void applyPalette(QCustomPlot* plot, const QPalette& palette);

/// Lays the plot out as: a title row, then the axis rect with `side_element` (legend or colour scale) to its
/// right. Returns the title element.
QCPTextElement* layoutWithTitle(QCustomPlot* plot, QCPLayoutElement* side_element);

/// A logarithmic axis whose ticks stay readable at any zoom: 1-2-5 steps over more than a decade, evenly spaced
/// values within one.
void makeLogAxis(QCPAxis* axis);

/// Ticks only at `positions`, labelled `labels` (the swept values on a seq_len or d_model axis).
void setFixedTicks(QCPAxis* axis, const QVector<double>& positions, const QVector<QString>& labels);

/// The marker of the variant at `index` among a run's variants (variants_in), the same on every chart.
QCPScatterStyle::ScatterShape variantShape(size_t index);

/// Its line: eager solid, the others dotted and dash-dotted (curves of one d_model often lie on top of each other).
Qt::PenStyle variantLine(size_t index);

/// [low, high] widened by `fraction` of the span on each side; on a log axis the padding is in log space.
QCPRange paddedRange(double low, double high, double fraction, bool logarithmic);

} // namespace compilescope
