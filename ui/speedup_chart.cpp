#include "speedup_chart.h"

#include "compilescope/variant_names.h"

#include "chart_data.h"
#include "chart_style.h"
#include "display_format.h"
#include "run_store.h"
#include "theme.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace compilescope {

SpeedupChart::SpeedupChart(const RunStore& store, QWidget* parent)
    : ChartWidget(store, parent)
{
    plot()->xAxis->setScaleType(QCPAxis::stLogarithmic);
    plot()->xAxis->setLabel(tr("seq_len (tokens, log₂ scale)"));
    // Ratios on a log axis: 2x faster and 2x slower are as far from 1.0x.
    makeLogAxis(plot()->yAxis);
    // The break-even line is named on a right-hand axis of its own, where no curve can cover the name.
    QCPAxis* parity_axis = plot()->yAxis2;
    parity_axis->setVisible(true);
    parity_axis->setScaleType(QCPAxis::stLogarithmic);
    parity_axis->grid()->setVisible(false);
    connect(plot()->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), parity_axis,
        qOverload<const QCPRange&>(&QCPAxis::setRange));
}

void SpeedupChart::rebuild(const ChartView& view)
{
    const RunResult& run = store().run();
    const RunResult* baseline = store().baseline();
    const std::vector<int64_t> d_models = viewDModels({ &run, baseline }, view);
    const std::vector<int64_t> seq_lens = viewSeqLens({ &run, baseline }, view);
    plot()->yAxis->setLabel(
        tr("speedup over %1 (×, ratio of %2s; hollow: CI includes 1.0x; pale: noisy; ringed: no interval)")
            .arg(QString::fromStdString(speedup_baseline(store().run())), centreName(centre())));
    setTitle(tr("Speedup over %1 (%2) · %3 — %4")
                 .arg(QString::fromStdString(variant_label(speedup_baseline(store().run()))), centreName(centre()),
                     viewLabel(view), runContext(view)));
    setSeqLenTicks(plot()->xAxis, seq_lens);

    // How far the medians reach from 1.0x, either way: the axis is centred on 1.0x and shows them all; an interval
    // reaching beyond is cut at the edge rather than squeezing the points into a band.
    double reach = 1.25;
    // One seq_len (the TransformerLM's single cell): the variants side by side around it, not stacked on one line.
    const std::vector<std::string> styled = baseline ? styledVariants(run, *baseline) : variants_in(run);
    const auto spread = [&](size_t style_index) {
        return seq_lens.size() == 1
            ? std::pow(1.06, static_cast<double>(style_index) - static_cast<double>(styled.size() - 1) / 2.0)
            : 1.0;
    };
    std::vector<QCPAbstractPlottable*> curves;
    QVector<double> under_load_keys, under_load_values;
    auto addCurve = [&](const RunIndex& source, bool is_baseline, size_t d_index, const std::string& variant,
                        size_t style_index) {
        const VariantCurve curve { d_models[d_index], d_index, variant, style_index, is_baseline };
        QVector<double> keys, values, below, above;
        // A result, noisy timings, interval includes 1.0x, no interval that counts (too few samples, time-slice grid).
        QVector<double> marker_keys[4], marker_values[4];
        for (const Measurement* point : series(source, view, d_models[d_index], variant)) {
            const auto speedup = speedupPoint(source, *point, centre());
            const Measurement* eager = source.baselineOf(*point);
            if (!speedup || !eager)
                continue;
            keys << static_cast<double>(point->cell.seq_len) * spread(style_index);
            values << speedup->value;
            // A log axis cannot draw an interval that reaches 0 or below (a wide one on few samples). An interval
            // that does not count gets no bar at all (NaN: not even a whisker through the marker).
            constexpr double no_bar = std::numeric_limits<double>::quiet_NaN();
            below << (speedup->withheld() ? no_bar : std::min(speedup->value - speedup->low, speedup->value * 0.999));
            above << (speedup->withheld() ? no_bar : speedup->high - speedup->value);
            reach = std::max(reach, std::max(speedup->value, 1.0 / speedup->value) * 1.15);
            const int trust = speedup->withheld() ? 3 : speedup->includes_one ? 2 : speedup->noisy ? 1 : 0;
            const QString interval = speedup->withheld()
                ? tr("no interval: %1").arg(noIntervalReason(speedup->interval))
                : tr("95% CI %1–%2").arg(formatSpeedup(speedup->low), formatSpeedup(speedup->high));
            marker_keys[trust] << keys.back();
            marker_values[trust] << values.back();
            addHoverPoint(keys.back(), values.back(),
                tr("%1\nseq_len %2\n%3 speedup %4 (%5)%6\n%7 %8 ms · %9 %10 ms (%3s, n %11 and %12)")
                        .arg(curveName(curve))
                        .arg(point->cell.seq_len)
                        .arg(centreName(centre()), formatSpeedup(speedup->value), interval,
                            speedup->withheld() ? tr("\nringed hollow marker: no interval, so no claim")
                                : speedup->includes_one
                                ? tr("\nwithin noise (hollow marker): the interval includes 1.0x")
                                : speedup->noisy
                                ? tr("\nnoisy timings (pale marker): a side's spread is over the threshold")
                                : QString(),
                            QString::fromStdString(eager->variant),
                            formatMs(latencyPoint(eager->stats, centre()).value),
                            QString::fromStdString(variant_label(variant)),
                            formatMs(latencyPoint(point->stats, centre()).value))
                        .arg(eager->stats.n)
                        .arg(point->stats.n)
                    + underLoadTooltip(*point, eager));
            if (speedup->under_load) {
                under_load_keys << keys.back();
                under_load_values << values.back();
            }
        }
        if (keys.isEmpty())
            return;
        // The same line and marker per variant as on the Latency tab (its index among the run's variants).
        QCPGraph* line = addVariantCurve(plot(), curve, keys, values, below, above);
        curves.push_back(line);
        const QColor color = curveColor(curve);
        // The legend shows the line's own marker: hollow, so that it never fills a hollow overlay below.
        line->setScatterStyle(QCPScatterStyle(variantShape(style_index), QPen(color, 1.5), QBrush(Qt::NoBrush), 7));
        // The line carries the legend; the markers sit on overlays: filled for a result, pale where the timings
        // are noisy, hollow where the interval includes 1.0x, hollow in a dotted ring where there is no interval.
        for (int trust = 0; trust < 4; ++trust) {
            if (marker_keys[trust].isEmpty())
                continue;
            QColor fill = color;
            fill.setAlphaF(trust == 1 ? 0.35f : 1.0f);
            QCPGraph* markers = plot()->addGraph();
            markers->setLineStyle(QCPGraph::lsNone);
            markers->setScatterStyle(QCPScatterStyle(variantShape(style_index), QPen(color, 1.5),
                trust >= 2 || is_baseline ? QBrush(Qt::NoBrush) : QBrush(fill), trust == 0 ? 7 : 9));
            markers->setData(marker_keys[trust], marker_values[trust], true);
            if (trust == 3)
                addNoIntervalRings(plot(), color, marker_keys[trust], marker_values[trust]);
        }
    };

    // A variant keeps its colour and marker in the comparison run, whatever else that run holds.
    auto addRun = [&](const RunIndex& source, bool is_baseline) {
        for (const std::string& variant : source.variants()) {
            if (variant == speedup_baseline(source.run()))
                continue;
            for (size_t d = 0; d < d_models.size(); ++d)
                addCurve(source, is_baseline, d, variant, styleIndex(styled, variant));
        }
    };
    addRun(store().runIndex(), false);
    if (const RunIndex* baseline_index = store().baselineIndex())
        addRun(*baseline_index, true);
    // Colours as on the Latency tab; the speedup baseline has no curve here, so no key.
    setCurveLegend(plot(), curves,
        curveKeys(store().runIndex().variants(), d_models, speedup_baseline(run), palette().color(QPalette::Text),
            baseline != nullptr));

    addUnderLoadMarks(plot(), under_load_keys, under_load_values, palette().color(QPalette::Text));

    // The break-even line: above it the variant is faster than the speedup baseline.
    auto* parity = new QCPItemStraightLine(plot());
    parity->point1->setCoords(1, 1.0);
    parity->point2->setCoords(2, 1.0);
    QColor parity_color = palette().color(QPalette::Text);
    parity_color.setAlphaF(0.7f);
    parity->setPen(QPen(parity_color, 1.5, Qt::DashLine));
    setFixedTicks(
        plot()->yAxis2, { 1.0 }, { tr("1.0x = %1").arg(QString::fromStdString(variant_label(speedup_baseline(run)))) });

    if (!seq_lens.empty()) {
        // Room for the variants spread around a single seq_len.
        const double first = static_cast<double>(seq_lens.front()) * spread(0);
        const double last = static_cast<double>(seq_lens.back()) * spread(styled.empty() ? 0 : styled.size() - 1);
        fitAxes(paddedRange(first, last, 0.08, true), QCPRange(1.0 / reach, reach));
    }
}

} // namespace compilescope
