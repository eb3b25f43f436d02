#include "chart_style.h"

#include "theme.h"

#include "compilescope/variant_names.h"

#include <iterator>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace compilescope {

namespace {

void styleAxis(QCPAxis* axis, const QColor& text, const QColor& grid)
{
    const QPen base(text, 1);
    axis->setBasePen(base);
    axis->setTickPen(base);
    axis->setSubTickPen(base);
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->grid()->setPen(QPen(grid, 1, Qt::SolidLine));
    axis->grid()->setSubGridPen(QPen(grid.lighter(110), 1, Qt::DotLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

// Ticks for a log axis spanning more than a decade: 1, 2, 3 and 5 per decade up to a decade and a half (a speedup
// chart's 0.25x-4x: 3x is labelled, not only 2x), 1, 2 and 5 over a few decades, or only powers of ten if that is
// too many to label.
QVector<double> decadeTicks(double low, double high)
{
    const int first = static_cast<int>(std::floor(std::log10(low)));
    const int last = static_cast<int>(std::ceil(std::log10(high)));
    const bool dense = last - first <= 3;
    const bool fine = std::log10(high / low) <= 1.5;
    QVector<double> ticks;
    for (int exponent = first; exponent <= last; ++exponent) {
        for (double mantissa : { 1.0, 2.0, 3.0, 5.0 }) {
            if ((!dense && mantissa != 1.0) || (!fine && mantissa == 3.0))
                continue;
            const double tick = mantissa * std::pow(10.0, exponent);
            if (tick >= low && tick <= high)
                ticks << tick;
        }
    }
    return ticks;
}

void updateLogTicks(QCPAxis* axis, const QCPRange& range)
{
    if (range.lower <= 0 || range.upper <= range.lower)
        return;
    if (range.upper / range.lower < 10) {
        // Within a decade a log ticker labels at most one tick; even steps in value read better.
        if (!axis->ticker().dynamicCast<QCPAxisTickerText>().isNull() || axis->ticker().isNull())
            axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        return;
    }
    auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
    if (ticker.isNull()) {
        ticker.reset(new QCPAxisTickerText);
        axis->setTicker(ticker);
    }
    ticker->clear();
    ticker->setSubTickCount(0);
    for (double tick : decadeTicks(range.lower, range.upper))
        ticker->addTick(tick, QLocale().toString(tick, 'g', 6));
}

} // namespace

QStringList wrapToWidth(const QString& line, const QFontMetrics& metrics, int width)
{
    // Greedy: each piece joins the line before it while that stays within `width`.
    const auto fill = [&](const QStringList& pieces, QStringList& lines) {
        for (const QString& piece : pieces) {
            if (!lines.isEmpty() && metrics.horizontalAdvance(lines.last() + QLatin1Char(' ') + piece) <= width)
                lines.last() += QLatin1Char(' ') + piece;
            else
                lines << piece;
        }
    };
    QStringList pieces = line.split(QStringLiteral("; "));
    for (qsizetype i = 0; i + 1 < pieces.size(); ++i)
        pieces[i] += QLatin1Char(';');
    QStringList clauses;
    fill(pieces, clauses);
    QStringList lines;
    for (const QString& clause : clauses) {
        QStringList words;
        if (metrics.horizontalAdvance(clause) <= width)
            words << clause;
        else
            fill(clause.split(QLatin1Char(' ')), words);
        lines << words;
    }
    return lines;
}

void applyPalette(QCustomPlot* plot, const QPalette& palette)
{
    const QColor background = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    QColor grid = text;
    grid.setAlphaF(0.18f);

    plot->setBackground(palette.color(QPalette::Window));
    for (QCPAxisRect* rect : plot->axisRects()) {
        rect->setBackground(background);
        for (QCPAxis* axis : rect->axes())
            styleAxis(axis, text, grid);
    }
    plot->legend->setBrush(background);
    plot->legend->setBorderPen(QPen(grid, 1));
    plot->legend->setTextColor(text);
    for (int row = 0; row < plot->plotLayout()->rowCount(); ++row) {
        for (int column = 0; column < plot->plotLayout()->columnCount(); ++column) {
            if (!plot->plotLayout()->hasElement(row, column))
                continue;
            QCPLayoutElement* element = plot->plotLayout()->element(row, column);
            if (auto* title = qobject_cast<QCPTextElement*>(element))
                title->setTextColor(text);
            if (auto* scale = qobject_cast<QCPColorScale*>(element))
                styleAxis(scale->axis(), text, grid);
        }
    }
}

QCPTextElement* layoutWithTitle(QCustomPlot* plot, QCPLayoutElement* side_element)
{
    QCPLayoutGrid* layout = plot->plotLayout();
    if (side_element == plot->legend) {
        plot->axisRect()->insetLayout()->take(plot->legend);
        // Alone in the column the legend would spread its entries over the full height; a spacer below keeps it
        // compact at the top.
        auto* column = new QCPLayoutGrid;
        column->addElement(0, 0, plot->legend);
        column->addElement(1, 0, new QCPLayoutElement(plot));
        column->setRowStretchFactor(0, 0.001);
        column->setAutoMargins(QCP::msTop | QCP::msBottom);
        column->setMargins(QMargins(0, 0, 6, 0)); // keeps the legend's frame off the image's right edge
        side_element = column;
    }
    layout->addElement(0, 1, side_element);
    layout->setColumnStretchFactor(1, 0.001);
    // Top and bottom aligned with the axis rect, not with the title or the tick labels.
    auto* margins = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    side_element->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    layout->insertRow(0);
    QFont font = plot->font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    font.setBold(true);
    auto* title = new QCPTextElement(plot, QString(), font);
    layout->addElement(0, 0, title);
    layout->setRowStretchFactor(0, 0.001);
    return title;
}

void makeLogAxis(QCPAxis* axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    QObject::connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), axis,
        [axis](const QCPRange& range) { updateLogTicks(axis, range); });
    updateLogTicks(axis, axis->range());
}

void setFixedTicks(QCPAxis* axis, const QVector<double>& positions, const QVector<QString>& labels)
{
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->addTicks(positions, labels);
    ticker->setSubTickCount(0);
    axis->setTicker(ticker);
}

QString curveName(const VariantCurve& curve)
{
    return QStringLiteral("d_model %1 · %2%3")
        .arg(curve.d_model)
        .arg(QString::fromStdString(variant_label(curve.variant)),
            curve.comparison ? QObject::tr(" (comparison run)") : QString());
}

QColor curveColor(const VariantCurve& curve)
{
    QColor color = variantColor(curve.style_index);
    if (curve.comparison)
        color.setAlphaF(0.6f);
    return color;
}

QCPGraph* addVariantCurve(QCustomPlot* plot, const VariantCurve& curve, const QVector<double>& keys,
    const QVector<double>& values, const QVector<double>& below, const QVector<double>& above)
{
    const QColor color = curveColor(curve);
    QCPGraph* graph = plot->addGraph();
    graph->setName(curveName(curve));
    graph->setPen(QPen(color, curve.comparison ? 1.5 : 2, curve.comparison ? Qt::DashLine : dModelLine(curve.d_index)));
    graph->setData(keys, values, true);
    auto* bars = new QCPErrorBars(plot->xAxis, plot->yAxis);
    bars->setDataPlottable(graph);
    bars->setData(below, above);
    bars->setPen(QPen(color, 1));
    return graph;
}

QString underLoadLegendText()
{
    return QObject::tr("dashed ring: measured under load");
}

QCPGraph* addUnderLoadMarks(
    QCustomPlot* plot, const QVector<double>& keys, const QVector<double>& values, const QColor& color)
{
    if (keys.isEmpty())
        return nullptr;
    QCPGraph* marks = plot->addGraph();
    marks->setName(underLoadLegendText());
    marks->setLineStyle(QCPGraph::lsNone);
    // Wider than any variant's marker and dashed, so that it reads as a mark on the point, not as another variant.
    marks->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 1.5, Qt::DashLine), Qt::NoBrush, 17));
    marks->setData(keys, values, true);
    marks->addToLegend();
    return marks;
}

QCPGraph* addNoIntervalRings(
    QCustomPlot* plot, const QColor& color, const QVector<double>& keys, const QVector<double>& values)
{
    QCPGraph* rings = plot->addGraph();
    rings->setObjectName(QStringLiteral("noIntervalRings"));
    rings->setLineStyle(QCPGraph::lsNone);
    rings->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(color, 1.5, Qt::DotLine), QBrush(Qt::NoBrush), 16));
    rings->setData(keys, values, true);
    return rings;
}

QCPRange paddedRange(double low, double high, double fraction, bool logarithmic)
{
    if (logarithmic) {
        const double log_low = std::log10(low);
        const double log_high = std::log10(high);
        const double pad = std::max(log_high - log_low, 0.3) * fraction;
        return QCPRange(std::pow(10.0, log_low - pad), std::pow(10.0, log_high + pad));
    }
    const double pad = std::max(high - low, 0.1) * fraction;
    return QCPRange(low - pad, high + pad);
}

QCPScatterStyle::ScatterShape variantShape(size_t index)
{
    static constexpr QCPScatterStyle::ScatterShape shapes[] { QCPScatterStyle::ssCircle, QCPScatterStyle::ssSquare,
        QCPScatterStyle::ssTriangle, QCPScatterStyle::ssDiamond, QCPScatterStyle::ssCross, QCPScatterStyle::ssStar,
        QCPScatterStyle::ssPlus, QCPScatterStyle::ssTriangleInverted, QCPScatterStyle::ssCrossCircle };
    return shapes[index % std::size(shapes)];
}

QColor variantColor(size_t index)
{
    return seriesColor(static_cast<int>(index));
}

Qt::PenStyle dModelLine(size_t index)
{
    static constexpr Qt::PenStyle styles[] { Qt::SolidLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine };
    return styles[index % std::size(styles)];
}

namespace {

/// A legend entry that is not a plottable: a line with a marker, and a label.
class KeyLegendItem : public QCPAbstractLegendItem {
public:
    KeyLegendItem(QCPLegend* legend, LegendKey key)
        : QCPAbstractLegendItem(legend)
        , m_key(std::move(key))
    {
    }

protected:
    void draw(QCPPainter* painter) override
    {
        const QSize icon = mParentLegend->iconSize();
        const QRect text = QFontMetrics(mFont).boundingRect(0, 0, 0, icon.height(), Qt::TextDontClip, m_key.label);
        const int height = qMax(text.height(), icon.height());
        painter->setFont(mFont);
        painter->setPen(QPen(mTextColor));
        painter->drawText(mRect.x() + icon.width() + mParentLegend->iconTextPadding(), mRect.y(), text.width(), height,
            Qt::TextDontClip, m_key.label);
        const QRectF icon_rect(mRect.topLeft(), icon);
        const double middle = icon_rect.top() + height / 2.0;
        painter->save();
        painter->setPen(m_key.pen);
        painter->drawLine(QLineF(icon_rect.left(), middle, icon_rect.right(), middle));
        if (!m_key.marker.isNone()) {
            m_key.marker.applyTo(painter, m_key.pen);
            m_key.marker.drawShape(painter, QPointF(icon_rect.center().x(), middle));
        }
        painter->restore();
    }

    QSize minimumOuterSizeHint() const override
    {
        const QSize icon = mParentLegend->iconSize();
        const QRect text = QFontMetrics(mFont).boundingRect(0, 0, 0, icon.height(), Qt::TextDontClip, m_key.label);
        return QSize(
            icon.width() + mParentLegend->iconTextPadding() + text.width() + mMargins.left() + mMargins.right(),
            qMax(text.height(), icon.height()) + mMargins.top() + mMargins.bottom());
    }

private:
    LegendKey m_key;
};

} // namespace

bool setCurveLegend(
    QCustomPlot* plot, const std::vector<QCPAbstractPlottable*>& curves, const std::vector<LegendKey>& keys)
{
    if (curves.size() > static_cast<size_t>(max_combination_legend_entries)) {
        setKeyLegend(plot, keys);
        return false;
    }
    plot->legend->clearItems();
    for (QCPAbstractPlottable* curve : curves)
        curve->addToLegend();
    return true;
}

void setKeyLegend(QCustomPlot* plot, const std::vector<LegendKey>& keys)
{
    plot->legend->clearItems();
    for (const LegendKey& key : keys)
        plot->legend->addItem(new KeyLegendItem(plot->legend, key));
}

std::vector<LegendKey> curveKeys(const std::vector<std::string>& variants, const std::vector<int64_t>& d_models,
    const std::string& left_out, const QColor& neutral, bool with_baseline_run)
{
    std::vector<LegendKey> keys;
    for (size_t v = 0; v < variants.size(); ++v) {
        if (variants[v] == left_out)
            continue;
        const QColor color = variantColor(v);
        keys.push_back({ QString::fromStdString(variant_label(variants[v])), QPen(color, 2),
            QCPScatterStyle(variantShape(v), QPen(color, 1.5), QBrush(color), 7) });
    }
    const size_t listed = std::min(d_models.size(), max_listed_d_models);
    for (size_t d = 0; d < listed; ++d)
        keys.push_back(
            { QStringLiteral("d_model %1").arg(d_models[d]), QPen(neutral, 2, dModelLine(d)), QCPScatterStyle() });
    if (d_models.size() > listed) {
        keys.push_back({ QObject::tr("… %n more d_models (line styles repeat; hover a point)", nullptr,
                             static_cast<int>(d_models.size() - listed)),
            QPen(Qt::NoPen), QCPScatterStyle() });
    }
    if (with_baseline_run)
        keys.push_back({ QObject::tr("comparison run"), QPen(neutral, 1.5, Qt::DashLine), QCPScatterStyle() });
    return keys;
}

} // namespace compilescope
