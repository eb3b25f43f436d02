#include "latency_chart.h"

#include "chart_data.h"
#include "chart_style.h"
#include "display_format.h"
#include "run_store.h"
#include "theme.h"

#include <qcustomplot.h>

#include <algorithm>
#include <limits>

namespace compilescope {

namespace {

/// Why a latency point has no bar: its own samples are too few, or sit on the scheduler's time-slice grid.
QString noBarReason(IntervalVerdict verdict)
{
    return verdict == IntervalVerdict::too_few_samples
        ? LatencyChart::tr("fewer than %1 samples, too few for a spread that counts").arg(min_samples_for_interval)
        : LatencyChart::tr("the samples sit on the scheduler's time-slice grid: the timing is the scheduler's");
}

} // namespace

LatencyChart::LatencyChart(const RunStore& store, QWidget* parent)
    : ChartWidget(store, parent)
{
    plot()->xAxis->setScaleType(QCPAxis::stLogarithmic);
    plot()->xAxis->setLabel(tr("seq_len (tokens, log₂ scale)"));
    makeLogAxis(plot()->yAxis);
}

void LatencyChart::rebuild(const ChartView& view)
{
    const RunResult& run = store().run();
    const RunResult* baseline = store().baseline();
    const std::vector<int64_t> d_models = viewDModels({ &run, baseline }, view);
    const std::vector<int64_t> seq_lens = viewSeqLens({ &run, baseline }, view);
    setTitle(tr("Latency (%1) · %2 — %3").arg(centreName(centre()), viewLabel(view), runContext(view)));
    plot()->yAxis->setLabel(centre() == Centre::median
            ? tr("median latency (ms, log scale; bars: quartiles; ringed: no bar)")
            : tr("mean latency (ms, log scale; bars: ±1 std; ringed: no bar)"));
    setSeqLenTicks(plot()->xAxis, seq_lens);

    double low = std::numeric_limits<double>::max();
    double high = 0;
    std::vector<QCPAbstractPlottable*> curves;
    QVector<double> under_load_keys, under_load_values;
    auto addCurve = [&](const RunIndex& source, bool is_baseline, size_t d_index, size_t v_index,
                        const std::string& variant) {
        const auto points = series(source, view, d_models[d_index], variant);
        if (points.empty())
            return;
        const VariantCurve curve { d_models[d_index], d_index, variant, v_index, is_baseline };
        QVector<double> keys, values, below, above, ringed_keys, ringed_values;
        for (const Measurement* point : points) {
            const Stats& stats = point->stats;
            const LatencyPoint latency = latencyPoint(*point, centre());
            const bool withheld = latency.interval != IntervalVerdict::counts;
            keys << static_cast<double>(point->cell.seq_len);
            values << latency.value;
            // No bar at all where the samples carry none (NaN: not even a whisker through the marker).
            below << (withheld ? std::numeric_limits<double>::quiet_NaN() : latency.value - latency.low);
            above << (withheld ? std::numeric_limits<double>::quiet_NaN() : latency.high - latency.value);
            if (withheld) {
                ringed_keys << keys.back();
                ringed_values << values.back();
            }
            low = std::min(low, latency.low);
            high = std::max(high, latency.high);
            addHoverPoint(keys.back(), values.back(),
                tr("%1\nseq_len %2\nmedian %3 ms (quartiles %4–%5)\nmean %6 ms ± %7 (std)\nmin %8 ms · n %9 · "
                   "CV %10%%11")
                        .arg(curveName(curve))
                        .arg(point->cell.seq_len)
                        .arg(formatMs(stats.median_ms), formatMs(stats.q1_ms), formatMs(stats.q3_ms),
                            formatMs(stats.mean_ms), formatMs(stats.std_ms), formatMs(stats.min_ms))
                        .arg(stats.n)
                        .arg(stats.cv * 100, 0, 'f', 1)
                        .arg(withheld ? tr("\nno bar (ringed): %1").arg(noBarReason(latency.interval)) : QString())
                    + (taken_under_load(*point) ? QStringLiteral("\n") + underLoadNote(*point) : QString()));
            if (taken_under_load(*point)) {
                under_load_keys << keys.back();
                under_load_values << values.back();
            }
        }
        QCPGraph* graph = addVariantCurve(plot(), curve, keys, values, below, above);
        curves.push_back(graph);
        const QColor color = curveColor(curve);
        graph->setScatterStyle(QCPScatterStyle(
            variantShape(v_index), QPen(color, 1.5), is_baseline ? QBrush(Qt::NoBrush) : QBrush(color), 7));
        if (!ringed_keys.isEmpty())
            addNoIntervalRings(plot(), color, ringed_keys, ringed_values);
    };

    const RunIndex& run_index = store().runIndex();
    const std::vector<std::string>& variants = run_index.variants();
    for (size_t d = 0; d < d_models.size(); ++d) {
        for (size_t v = 0; v < variants.size(); ++v)
            addCurve(run_index, false, d, v, variants[v]);
    }
    if (const RunIndex* baseline_index = store().baselineIndex()) {
        // A variant keeps its colour and marker in the comparison run, whatever else that run holds.
        const std::vector<std::string> all = styledVariants(run, *baseline);
        for (size_t d = 0; d < d_models.size(); ++d) {
            for (const std::string& variant : baseline_index->variants())
                addCurve(*baseline_index, true, d, styleIndex(all, variant), variant);
        }
    }

    setCurveLegend(plot(), curves, curveKeys(variants, d_models, {}, palette().color(QPalette::Text), baseline));
    addUnderLoadMarks(plot(), under_load_keys, under_load_values, palette().color(QPalette::Text));

    if (high > 0 && !seq_lens.empty()) {
        fitAxes(paddedRange(static_cast<double>(seq_lens.front()), static_cast<double>(seq_lens.back()), 0.08, true),
            paddedRange(low, high, 0.08, true));
    }
}

} // namespace compilescope
