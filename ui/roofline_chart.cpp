#include "roofline_chart.h"

#include "compilescope/roofline.h"
#include "compilescope/variant_names.h"

#include "chart_data.h"
#include "chart_style.h"
#include "display_format.h"
#include "run_store.h"
#include "theme.h"

#include <QFontMetricsF>
#include <QtMath>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <vector>

namespace compilescope {

namespace {

constexpr double marker_size = 8;
/// How far the roofs are drawn beyond the fitted ranges, in decades, so that panning does not run off their ends.
constexpr double roof_overhang_decades = 6;

QString intensityText(double flops_per_byte)
{
    return QString::number(flops_per_byte, 'g', 3) + QStringLiteral(" FLOP/B");
}

/// Log ticks labelled with decimal prefixes ("200 G", "1 T"): 1, 2 and 5 per decade over up to three decades (every
/// digit within about one), the powers of ten with their 2..9 sub-ticks over more.
class DecadeTicker : public QCPAxisTickerLog {
public:
    DecadeTicker()
    {
        setLogBase(10);
        setSubTickCount(8);
    }

protected:
    QVector<double> createTickVector(double tick_step, const QCPRange& range) override
    {
        m_dense = false;
        if (!(range.lower > 0 && range.upper > range.lower))
            return QCPAxisTickerLog::createTickVector(tick_step, range);
        const double decades = std::log10(range.upper / range.lower);
        if (decades > 3)
            return QCPAxisTickerLog::createTickVector(tick_step, range);
        m_dense = true;
        static const QVector<double> every_digit { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        static const QVector<double> one_two_five { 1, 2, 5 };
        const QVector<double>& mantissas = decades < 1.2 ? every_digit : one_two_five;
        QVector<double> ticks;
        const int last = static_cast<int>(std::ceil(std::log10(range.upper)));
        for (int exponent = static_cast<int>(std::floor(std::log10(range.lower))); exponent <= last; ++exponent) {
            for (double mantissa : mantissas)
                ticks << mantissa * std::pow(10.0, exponent);
        }
        return ticks;
    }

    int getSubTickCount(double tick_step) override
    {
        return m_dense ? 0 : QCPAxisTickerLog::getSubTickCount(tick_step);
    }

    QString getTickLabel(double tick, const QLocale&, QChar, int) override
    {
        return formatRate(tick, QString()).trimmed();
    }

private:
    bool m_dense = false;
};

/// An arrow from one marker to another that stops short of both, so its head is never hidden under the marker it
/// points at; nothing is drawn while the two markers touch.
class MarkerArrow : public QCPItemLine {
public:
    using QCPItemLine::QCPItemLine;

protected:
    void draw(QCPPainter* painter) override
    {
        const QCPVector2D from(start->pixelPosition());
        const QCPVector2D to(end->pixelPosition());
        const double length = (to - from).length();
        const double gap = marker_size / 2 + 2;
        if (!(length > 2 * gap + 4) || length > 1e5)
            return;
        const QCPVector2D direction = (to - from) / length;
        const QCPVector2D tip = to - direction * gap;
        painter->setPen(mainPen());
        painter->drawLine((from + direction * gap).toPointF(), tip.toPointF());
        head().draw(painter, tip, direction);
    }
};

/// The memory roof's label, laid along the slanted roof in the middle of its part in view. Placed when drawn: the
/// slope on screen depends on the axis rect's size and on the ranges (zoom, an export at another size).
class SlopeLabel : public QCPItemText {
public:
    SlopeLabel(QCustomPlot* plot, double bytes_per_s, double ridge)
        : QCPItemText(plot)
        , m_bytes_per_s(bytes_per_s)
        , m_ridge(ridge)
    {
    }

protected:
    void draw(QCPPainter* painter) override
    {
        const QCPAxis* x = position->keyAxis();
        const QCPAxis* y = position->valueAxis();
        const double low = std::max(x->range().lower, y->range().lower / m_bytes_per_s);
        const double high = std::min({ m_ridge, x->range().upper, y->range().upper / m_bytes_per_s });
        if (!(low > 0 && high > low))
            return;
        const QPointF a(x->coordToPixel(low), y->coordToPixel(low * m_bytes_per_s));
        const QPointF b(x->coordToPixel(high), y->coordToPixel(high * m_bytes_per_s));
        const double visible_px = QCPVector2D(b - a).length();
        if (visible_px < QFontMetricsF(mainFont()).horizontalAdvance(text()) + 24)
            return; // too short a stretch of roof to label
        const double middle = std::sqrt(low * high);
        position->setCoords(middle, middle * m_bytes_per_s);
        setRotation(qRadiansToDegrees(std::atan2(b.y() - a.y(), b.x() - a.x())));
        QCPItemText::draw(painter);
    }

private:
    double m_bytes_per_s;
    double m_ridge;
};

/// Where a measurement goes on the chart: its roofline point, or (a live run whose peaks have not arrived yet)
/// only its intensity and achieved FLOP/s.
struct Placed {
    const Measurement* measurement = nullptr;
    size_t variant_index = 0;
    double intensity = 0;
    double achieved = 0;
    std::optional<RooflinePoint> point;
};

std::optional<Placed> place(const RunResult& run, const Measurement& measurement, bool without_roofs)
{
    if (const auto point = roofline_point(run, measurement))
        return Placed { &measurement, 0, point->intensity, point->achieved_flops_per_s, point };
    if (!without_roofs || !measurement.ok() || measurement.flops <= 0 || measurement.bytes <= 0
        || !(measurement.stats.median_ms > 0))
        return std::nullopt;
    return Placed { &measurement, 0, measurement.flops / measurement.bytes,
        measurement.flops / (measurement.stats.median_ms * 1e-3), std::nullopt };
}

QString tooltip(const RunIndex& index, const Placed& placed)
{
    const RunResult& run = index.run();
    const Measurement& m = *placed.measurement;
    QString speedup;
    if (m.variant != speedup_baseline(run)) {
        if (const auto ratio = index.speedupOf(m))
            speedup = QObject::tr(" · %1 over %2")
                          .arg(formatSpeedup(ratio->mean), QString::fromStdString(speedup_baseline(run)));
    }
    QString text = QObject::tr("%1\nmedian %2 ms%3\nachieved %4\nintensity %5")
                       .arg(describeMeasurement(m), formatMs(m.stats.median_ms), speedup,
                           formatRate(placed.achieved, QStringLiteral("FLOP/s")), intensityText(placed.intensity));
    if (placed.point) {
        text += QObject::tr(" · %1\n%2% of the roof (%3)")
                    .arg(QString::fromStdString(to_string(placed.point->bound)))
                    .arg(placed.point->fraction_of_roof * 100, 0, 'f', 1)
                    .arg(formatRate(placed.point->roof_flops_per_s, QStringLiteral("FLOP/s")));
    }
    if (m.profile) {
        text += QObject::tr("\n%1 %2/iter · busy %3%")
                    .arg(m.profile->launches_per_iter, 0, 'f', 0)
                    .arg(QString::fromStdString(m.profile->unit))
                    .arg(m.profile->busy_share * 100, 0, 'f', 1);
    }
    return text;
}

} // namespace

RooflineChart::RooflineChart(const RunStore& store, QWidget* parent)
    : ChartWidget(store, parent)
{
    for (QCPAxis* axis : { plot()->xAxis, plot()->yAxis }) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new DecadeTicker));
    }
    plot()->xAxis->setLabel(tr("arithmetic intensity (FLOP/byte, log scale)"));
    plot()->yAxis->setLabel(tr("achieved FLOP/s (log scale)"));
    // Arrows pass under the markers of the variants between their ends (a cell's points share one intensity).
    plot()->addLayer(QStringLiteral("rooflineArrows"), plot()->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    connect(plot(), &QCustomPlot::afterLayout, this, &RooflineChart::fitCaption);
}

void RooflineChart::rebuild(const ChartView& view)
{
    const RunResult& run = store().run();
    const DevicePeaks& peaks = run.environment.peaks;
    setTitle(tr("Roofline · %1 — %2").arg(viewLabel(view), runContext(view)));
    setAxesVisible(true);

    const bool in_view = std::any_of(
        run.measurements.begin(), run.measurements.end(), [&](const Measurement& m) { return inView(m, view); });
    if (!in_view)
        return; // the axis rect is hidden and the title says enough
    // A live run gets its peaks with its result: until then its points are placed without roofs.
    const bool awaiting_peaks = !peaks.valid() && store().isLive();
    if (!peaks.valid() && !awaiting_peaks) {
        showEmptyState(tr("No roofline: this run recorded no device peaks.\n"
                          "Runs saved before CompileScope recorded them, and runs whose device could not be probed, "
                          "have none.\nRun the sweep again to see its measurements against the device's limits."));
        return;
    }

    const std::vector<std::string> variants = variants_in(run);
    std::vector<Placed> placed;
    std::unordered_map<const Measurement*, size_t> index_of;
    int unplaced = 0;
    for (const Measurement& measurement : run.measurements) {
        if (!inView(measurement, view))
            continue;
        auto point = place(run, measurement, awaiting_peaks);
        if (!point) {
            unplaced += measurement.ok() ? 1 : 0;
            continue;
        }
        point->variant_index
            = static_cast<size_t>(std::find(variants.begin(), variants.end(), measurement.variant) - variants.begin());
        index_of[&measurement] = placed.size();
        placed.push_back(*point);
    }
    if (placed.empty()) {
        showEmptyState(tr("No roofline point in this view: a point needs a successful measurement\n"
                          "with an estimate of its FLOPs and of the bytes it moves."));
        return;
    }

    QColor text_color = palette().color(QPalette::Text);
    QColor faint = text_color;
    faint.setAlphaF(0.7f);
    QFont small = plot()->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);

    double x_low = placed.front().intensity;
    double x_high = x_low;
    double y_low = placed.front().achieved;
    double y_high = y_low;
    for (const Placed& point : placed) {
        x_low = std::min(x_low, point.intensity);
        x_high = std::max(x_high, point.intensity);
        y_low = std::min(y_low, point.achieved);
        y_high = std::max(y_high, point.achieved);
    }

    // The roofs first, under everything else.
    if (peaks.valid()) {
        const double ridge = peaks.ridge_intensity();
        x_low = std::min(x_low, ridge);
        x_high = std::max(x_high, ridge);
        y_high = std::max(y_high, peaks.flops_per_s);
        const double far_left = x_low * std::pow(10.0, -roof_overhang_decades);
        const double far_right = x_high * std::pow(10.0, roof_overhang_decades);
        QCPGraph* roof = plot()->addGraph();
        roof->setObjectName(QStringLiteral("roofline"));
        roof->setName(tr("roofline"));
        QColor roof_color = text_color;
        roof_color.setAlphaF(0.85f);
        roof->setPen(QPen(roof_color, 2.5));
        roof->setData({ far_left, ridge, far_right },
            { far_left * peaks.bytes_per_s, peaks.flops_per_s, peaks.flops_per_s }, true);

        // The ridge: left of it work is memory-bound, right of it compute-bound.
        auto* ridge_line = new QCPItemLine(plot());
        ridge_line->setObjectName(QStringLiteral("rooflineRidge"));
        ridge_line->start->setCoords(ridge, peaks.flops_per_s);
        ridge_line->end->setCoords(ridge, y_low * std::pow(10.0, -roof_overhang_decades));
        QColor ridge_color = text_color;
        ridge_color.setAlphaF(0.35f);
        ridge_line->setPen(QPen(ridge_color, 1, Qt::DashLine));

        auto* memory_label = new SlopeLabel(plot(), peaks.bytes_per_s, ridge);
        memory_label->setObjectName(QStringLiteral("rooflineMemoryLabel"));
        memory_label->setText(tr("memory %1").arg(formatRate(peaks.bytes_per_s, QStringLiteral("B/s"))));
        memory_label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        memory_label->setPadding(QMargins(0, 0, 0, 3));
        memory_label->setColor(text_color);
        memory_label->setFont(small);

        auto* compute_label = new QCPItemText(plot());
        compute_label->setObjectName(QStringLiteral("rooflineComputeLabel"));
        compute_label->position->setCoords(ridge, peaks.flops_per_s);
        compute_label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        compute_label->setPadding(QMargins(8, 0, 0, 3));
        compute_label->setText(tr("compute %1").arg(formatRate(peaks.flops_per_s, QStringLiteral("FLOP/s"))));
        compute_label->setColor(text_color);
        compute_label->setFont(small);
    }

    // One graph per variant (markers only): cheap with hundreds of points, and one legend entry each.
    for (size_t v = 0; v < variants.size(); ++v) {
        QVector<double> keys, values;
        for (const Placed& point : placed) {
            if (point.variant_index != v)
                continue;
            keys << point.intensity;
            values << point.achieved;
            addHoverPoint(point.intensity, point.achieved, tooltip(store().runIndex(), point));
        }
        if (keys.isEmpty())
            continue;
        const QColor color = variantColor(v);
        QCPGraph* graph = plot()->addGraph();
        graph->setObjectName(QStringLiteral("rooflinePoints"));
        graph->setName(QString::fromStdString(variant_label(variants[v])));
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setPen(QPen(color, 1.5));
        graph->setScatterStyle(QCPScatterStyle(variantShape(v), QPen(color, 1.5), QBrush(color), marker_size));
        graph->setData(keys, values); // unsorted keys: QCPGraph sorts them
        graph->addToLegend();
    }

    // From the speedup baseline to each other variant of the same cell and phase: up is toward the roof.
    const std::string& baseline_variant = speedup_baseline(run);
    for (const Placed& point : placed) {
        if (point.measurement->variant == baseline_variant)
            continue;
        const Measurement* partner = store().runIndex().baselineOf(*point.measurement);
        const auto found = partner ? index_of.find(partner) : index_of.end();
        if (found == index_of.end())
            continue;
        const Placed& from = placed[found->second];
        QColor color = variantColor(point.variant_index);
        color.setAlphaF(0.75f);
        auto* arrow = new MarkerArrow(plot());
        arrow->setObjectName(QStringLiteral("rooflineArrow"));
        arrow->setLayer(QStringLiteral("rooflineArrows"));
        arrow->start->setCoords(from.intensity, from.achieved);
        arrow->end->setCoords(point.intensity, point.achieved);
        arrow->setPen(QPen(color, 1.5));
        arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 9, 11));
    }

    // Above the slanted roof no point can be: room for what the roofs are and where they come from.
    QStringList caption;
    if (peaks.valid()) {
        caption << tr("ridge %1 · peaks: %2")
                       .arg(intensityText(peaks.ridge_intensity()),
                           peaks.source.empty() ? tr("source not recorded") : QString::fromStdString(peaks.source));
    } else {
        caption << tr("The roofs are drawn when the sweep finishes (the device's peaks come with its result).");
    }
    caption << tr("arrows: %1 → each other variant of the same cell")
                   .arg(QString::fromStdString(variant_label(baseline_variant)));
    if (unplaced > 0)
        caption << tr("not shown: %1 successful measurements without a FLOP/byte estimate").arg(unplaced);
    m_caption = new QCPItemText(plot());
    m_caption->setObjectName(QStringLiteral("rooflineCaption"));
    m_caption->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_caption->position->setCoords(0.01, 0.015);
    m_caption->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_caption->setTextAlignment(Qt::AlignLeft);
    m_caption->setColor(faint);
    m_caption->setFont(small);
    m_caption_lines = caption;

    // Half a decade below and left of the lowest point; room above the compute roof for the labels.
    fitAxes(QCPRange(x_low / std::pow(10.0, 0.5), x_high * std::pow(10.0, 0.7)),
        QCPRange(y_low / std::pow(10.0, 0.5), y_high * std::pow(10.0, 0.6)));
}

void RooflineChart::fitCaption()
{
    if (!m_caption)
        return;
    // Called after each layout, before the plot is drawn: the axis rect's width is the one it is drawn at. The peaks'
    // source alone was wider than the chart at 1366 pixels, and was cut off.
    const int width = std::max(200, static_cast<int>(plot()->axisRect()->width() * 0.97));
    QStringList lines;
    for (const QString& line : m_caption_lines)
        lines << wrapToWidth(line, QFontMetrics(m_caption->font()), width);
    m_caption->setText(lines.join(QLatin1Char('\n')));
}

void RooflineChart::showEmptyState(const QString& text)
{
    setAxesVisible(false);
    auto* item = new QCPItemText(plot());
    item->setObjectName(QStringLiteral("rooflineEmpty"));
    item->setClipToAxisRect(false);
    item->position->setType(QCPItemPosition::ptAxisRectRatio);
    item->position->setCoords(0.5, 0.5);
    item->setPositionAlignment(Qt::AlignCenter);
    item->setTextAlignment(Qt::AlignCenter);
    item->setText(text);
    item->setColor(palette().color(QPalette::Text));
}

void RooflineChart::setAxesVisible(bool visible)
{
    for (QCPAxis* axis : { plot()->xAxis, plot()->yAxis }) {
        axis->setVisible(visible);
        axis->grid()->setVisible(visible);
    }
}

} // namespace compilescope
