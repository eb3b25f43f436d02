// The look every chart shares: palette-following colours, log-scale ticks that stay readable, a title row and a
// legend beside (never over) the data.
#pragma once

#include <qcustomplot.h>

#include <QPalette>
#include <QString>
#include <QVector>

#include <cstdint>
#include <string>
#include <vector>

class QCPAxis;
class QCPLayoutElement;
class QCPTextElement;
class QCustomPlot;
class QCPRange;

namespace compilescope {

/// `line` broken into lines no wider than `width` pixels in `metrics` where it can be: after a "; " first, else
/// between words; a single word wider than `width` keeps a line of its own.
QStringList wrapToWidth(const QString& line, const QFontMetrics& metrics, int width);

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

/// The colour of the variant at `index` among a run's variants (variants_in), the same on every chart.
QColor variantColor(size_t index);

/// The marker of the variant at `index` among a run's variants (variants_in), the same on every chart.
QCPScatterStyle::ScatterShape variantShape(size_t index);

/// The line of the d_model at `index` among a chart's d_models: solid, dotted, dash-dotted (dashed is left to the
/// curves of a loaded baseline run).
Qt::PenStyle dModelLine(size_t index);

/// What one legend entry of a key legend shows: a line in `pen` with `marker` over it, then `label`.
struct LegendKey {
    QString label;
    QPen pen;
    QCPScatterStyle marker;
};

/// Curves drawn as d_model x variant (Latency, Speedup) past which the legend names each variant and each d_model
/// once (setKeyLegend) instead of every combination: 11 variants x 4 d_models would be 44 entries.
inline constexpr int max_combination_legend_entries = 12;

/// Of a d_model x variant chart's d_models, the legend lists this many and counts the rest (the line styles repeat,
/// and thousands of entries would fill the window; the tooltips name every point's d_model).
inline constexpr size_t max_listed_d_models = 8;

/// Gives the legend an entry for each of `curves` when there are at most max_combination_legend_entries of them,
/// otherwise the keys of curveKeys(); returns whether the legend lists the curves.
bool setCurveLegend(
    QCustomPlot* plot, const std::vector<QCPAbstractPlottable*>& curves, const std::vector<LegendKey>& keys);

/// Replaces the legend's entries by `keys`.
void setKeyLegend(QCustomPlot* plot, const std::vector<LegendKey>& keys);

/// The keys of a d_model x variant chart: each of a run's `variants` (variants_in) by its colour and marker except
/// `left_out` (which has no curve, e.g. the speedup baseline; the others keep their colours), each d_model by its
/// line (the first max_listed_d_models of them, then a count of the others), and the dashed curves of a baseline
/// run when there is one.
std::vector<LegendKey> curveKeys(const std::vector<std::string>& variants, const std::vector<int64_t>& d_models,
    const std::string& left_out, const QColor& neutral, bool with_baseline_run);

/// One curve of a d_model x variant chart (Latency, Speedup).
struct VariantCurve {
    int64_t d_model = 0;
    size_t d_index = 0; ///< among the chart's d_models: the curve's line
    std::string variant;
    size_t style_index = 0; ///< among the run's variants (styledVariants): the curve's colour and marker
    bool comparison = false; ///< a loaded comparison run's: paler, thinner and dashed
};

/// "d_model N · variant", with " (comparison run)" for a comparison run's curve: its legend entry and tooltips.
QString curveName(const VariantCurve& curve);

/// The colour of `curve`'s line, bars and markers.
QColor curveColor(const VariantCurve& curve);

/// Adds `curve` to `plot` through (keys, values) with error bars `below` and `above` each value; returns its graph.
QCPGraph* addVariantCurve(QCustomPlot* plot, const VariantCurve& curve, const QVector<double>& keys,
    const QVector<double>& values, const QVector<double>& below, const QVector<double>& above);

/// The name of the graph that rings the points measured under load, and its legend entry.
QString underLoadLegendText();

/// Rings the points at (`keys`, `values`), measured under load (taken_under_load), in `color` (the chart's text
/// colour): a graph of its own, no line, listed last in the legend. Returns it; nullptr (nothing added) when there
/// are no points.
QCPGraph* addUnderLoadMarks(
    QCustomPlot* plot, const QVector<double>& keys, const QVector<double>& values, const QColor& color);

/// Rings the points (keys, values) whose interval does not count (too few samples, a time-slice grid) with a dotted
/// circle in `color`: they have no bar, and the ring says why there is none (the axis label names it). The graph's
/// object name is "noIntervalRings".
QCPGraph* addNoIntervalRings(
    QCustomPlot* plot, const QColor& color, const QVector<double>& keys, const QVector<double>& values);

/// [low, high] widened by `fraction` of the span on each side; on a log axis the padding is in log space.
QCPRange paddedRange(double low, double high, double fraction, bool logarithmic);

} // namespace compilescope
