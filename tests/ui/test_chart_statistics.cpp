// The charts centre on medians by default, with quartile bars, and mark a speedup that noise could explain.
#include "chart_data.h"
#include "latency_chart.h"
#include "run_store.h"
#include "speedup_chart.h"
#include "test_support.h"

#include "compilescope/statistics.h"

#include <catch2/catch.hpp>

#include <set>

#include <qcustomplot.h>

using namespace compilescope;

namespace {

/// The sample run with one skewed measurement: d_model 16 x seq_len 256 forward torchscript, 22 samples of which
/// two preempted iterations pull the mean far above the median.
RunResult skewedRun()
{
    RunResult run = test::sampleRun();
    for (Measurement& m : run.measurements) {
        if (m.variant == "torchscript" && m.phase == Phase::forward && m.cell.d_model == 16 && m.cell.seq_len == 256) {
            const double base = m.stats.median_ms;
            m.samples_ms.clear();
            for (int i = 0; i < 20; ++i)
                m.samples_ms.push_back(base * (0.98 + 0.002 * i));
            m.samples_ms.push_back(base * 20);
            m.samples_ms.push_back(base * 25);
            m.stats = summarize(m.samples_ms);
        }
    }
    return run;
}

const Measurement& skewed(const RunResult& run)
{
    for (const Measurement& m : run.measurements) {
        if (m.variant == "torchscript" && m.phase == Phase::forward && m.cell.d_model == 16 && m.cell.seq_len == 256)
            return m;
    }
    throw std::logic_error("no skewed measurement");
}

/// Exposes the hover text of the point nearest a pixel.
class ProbedSpeedupChart : public SpeedupChart {
public:
    using SpeedupChart::SpeedupChart;
    using SpeedupChart::tooltipAt;
};

} // namespace

TEST_CASE("latency points: the median between quartiles, or the mean never below the fastest iteration",
    "[ui][charts][statistics]")
{
    const Stats stats = summarize({ 0.116, 0.078, 0.080, 0.081, 0.5, 0.079 });
    const LatencyPoint median = latencyPoint(stats, Centre::median);
    CHECK(median.value == stats.median_ms);
    CHECK(median.low == stats.q1_ms);
    CHECK(median.high == stats.q3_ms);
    const LatencyPoint mean = latencyPoint(stats, Centre::mean);
    CHECK(mean.value == stats.mean_ms);
    CHECK(mean.low >= stats.min_ms); // mean - std would be below the fastest iteration
    CHECK(mean.high <= stats.max_ms);
}

TEST_CASE("the latency chart shows medians by default and means on request", "[ui][charts][statistics]")
{
    const RunResult run = skewedRun();
    RunStore store;
    store.setRun(run);
    LatencyChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    CHECK(chart.centre() == Centre::median);
    const Measurement& m = skewed(run);
    auto valueAt256 = [&chart](const QString& variant) {
        for (int i = 0; i < chart.plot()->graphCount(); ++i) {
            QCPGraph* graph = chart.plot()->graph(i);
            if (graph->name().contains(QStringLiteral("d_model 16")) && graph->name().contains(variant))
                return graph->data()->at(0)->value;
        }
        return -1.0;
    };
    CHECK(valueAt256(QStringLiteral("torchscript")) == Approx(m.stats.median_ms));
    chart.setCentre(Centre::mean);
    CHECK(valueAt256(QStringLiteral("torchscript")) == Approx(m.stats.mean_ms));
}

TEST_CASE(
    "a skewed measurement: the median speedup is a result, the mean one is within noise", "[ui][charts][statistics]")
{
    RunResult run = skewedRun();
    run.config.measure.noise_cv_threshold = 10.0; // judge by the intervals alone
    const auto median = speedupPoint(run, skewed(run), Centre::median);
    const auto mean = speedupPoint(run, skewed(run), Centre::mean);
    REQUIRE(median);
    REQUIRE(mean);
    CHECK(median->value == Approx(1.0 / 0.96).epsilon(0.05));
    CHECK(mean->value < 0.5);
    CHECK(median->low > 0.9);
    CHECK(mean->high < 1.0); // the mean ratio would call it a clear slowdown

    // With the default noise threshold the skewed side's CV is noisy, its quartiles are not: the mean's point is
    // drawn within noise, the median's is a result.
    run.config.measure.noise_cv_threshold = 0.05;
    CHECK(speedupPoint(run, skewed(run), Centre::mean)->noisy);
    CHECK_FALSE(speedupPoint(run, skewed(run), Centre::median)->noisy);
    CHECK(skewed(run).stats.iqr_ms() < 0.05 * skewed(run).stats.median_ms);
}

TEST_CASE("the speedup chart draws points within noise hollow", "[ui][charts][statistics]")
{
    const RunResult run = skewedRun();
    RunStore store;
    store.setRun(run);
    SpeedupChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    // Markers by their fill: hollow (interval includes 1.0x), pale (noisy timings) or solid (a result).
    auto count = [&chart](Qt::BrushStyle style, bool pale) {
        int points = 0;
        for (int i = 0; i < chart.plot()->graphCount(); ++i) {
            // The markers are the overlays without a line; a curve's line carries a hollow marker for the legend.
            const QCPScatterStyle scatter = chart.plot()->graph(i)->scatterStyle();
            if (chart.plot()->graph(i)->lineStyle() == QCPGraph::lsNone && !scatter.isNone()
                && scatter.brush().style() == style
                && (style == Qt::NoBrush || (scatter.brush().color().alphaF() < 1.0) == pale))
                points += chart.plot()->graph(i)->data()->size();
        }
        return points;
    };
    chart.rebuildNow();
    // Medians: every cell a clear 1.04x, the skewed one too (its quartiles are tight).
    CHECK(count(Qt::SolidPattern, false) == 4);
    // Means: the skewed cell is either noisy (pale) or within noise (hollow): no longer solid.
    chart.setCentre(Centre::mean);
    CHECK(count(Qt::SolidPattern, false) == 3);
    CHECK(count(Qt::SolidPattern, true) + count(Qt::NoBrush, false) == 1);
}

TEST_CASE("a view whose measurements all ended untimed says so instead of drawing empty axes", "[ui][charts]")
{
    RunResult run = test::sampleRun();
    for (Measurement& m : run.measurements) {
        m.status = MeasurementStatus::cancelled;
        m.message = "not started: the sweep was cancelled";
        m.stats = {};
        m.samples_ms.clear();
    }
    run.cancelled = true;
    RunStore store;
    store.setRun(run);
    LatencyChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    CHECK_FALSE(chart.plot()->axisRect()->visible());
    QString title;
    for (int i = 0; i < chart.plot()->plotLayout()->elementCount(); ++i) {
        if (auto* text = qobject_cast<QCPTextElement*>(chart.plot()->plotLayout()->elementAt(i)))
            title += text->text();
    }
    // (Broken into lines for the width of a chart never shown: read as one text.)
    CHECK(title.simplified().contains(QStringLiteral("no measurement finished here")));
}

TEST_CASE("a speedup point's tooltip names its curve, the interval and both latencies", "[ui][charts][statistics]")
{
    RunStore store;
    store.setRun(test::sampleRunOfOneDModel()); // d_model 32's point lies at the same speedup
    ProbedSpeedupChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.resize(1000, 650);
    chart.show();
    chart.rebuildNow();
    QCustomPlot* plot = chart.plot();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    // d_model 16, seq_len 256: eager 1.05 ms (median), torchscript 4% faster.
    const double speedup = 1.0 / 0.96;
    const QString text = chart.tooltipAt(QPointF(plot->xAxis->coordToPixel(256), plot->yAxis->coordToPixel(speedup)));
    INFO(text.toStdString());
    CHECK(text.startsWith(QStringLiteral("d_model 16 · torchscript\nseq_len 256\nmedian speedup 1.04x (95% CI ")));
    CHECK(text.endsWith(QStringLiteral("\neager 1.05 ms · torchscript 1.01 ms (medians, n 10 and 10)")));
}

TEST_CASE("the speedup axis is logarithmic and centred on 1.0x, and one seq_len spreads its variants", "[ui][charts]")
{
    const RunResult run = test::withVariantCopy(test::sampleRun(), "torchscript", "fused-sdpa", 0.5); // twice as fast
    RunStore store;
    store.setRun(run);
    SpeedupChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    const QCPRange range = chart.plot()->yAxis->range();
    CHECK(chart.plot()->yAxis->scaleType() == QCPAxis::stLogarithmic);
    CHECK(range.lower * range.upper == Approx(1.0)); // 2x faster and 2x slower are as far from the line
    CHECK(range.upper > 2.0);

    // The model has one cell: its variants stand side by side, not on one vertical line.
    chart.setView({ Workload::transformer_lm, Phase::train_step });
    chart.rebuildNow();
    std::set<double> keys;
    for (int i = 0; i < chart.plot()->graphCount(); ++i) {
        for (const QCPGraphData& point : *chart.plot()->graph(i)->data())
            keys.insert(point.key);
    }
    CHECK(keys.size() == 2); // torchscript and fused-sdpa
}

TEST_CASE("a speedup axis of about a decade labels 3x and 0.3x, not only 2x and 0.5x", "[ui][charts]")
{
    RunStore store;
    store.setRun(test::sampleRun());
    SpeedupChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.rebuildNow();
    const auto labelled = [&] {
        QVector<double> ticks;
        QVector<QString> labels;
        chart.plot()->yAxis->ticker()->generate(
            chart.plot()->yAxis->range(), QLocale(), QLatin1Char('g'), 6, ticks, nullptr, &labels);
        return labels;
    };
    // A run whose speedups reach 3.9x: seen on a quick CPU sweep, where fused-sdpa's points stood above the last label.
    chart.plot()->yAxis->setRange(1 / 4.3, 4.3);
    CHECK(labelled() == QVector<QString> { "0.3", "0.5", "1", "2", "3" });
    // Over two decades, 1-2-5 as before.
    chart.plot()->yAxis->setRange(0.1, 10);
    CHECK(labelled() == QVector<QString> { "0.1", "0.2", "0.5", "1", "2", "5", "10" });
}

namespace {

/// The sample run of one d_model (16: no other curve lies under its points) with seq_len 256 forward torchscript
/// cut to `n` samples.
RunResult runWithFewSamples(size_t n)
{
    RunResult run = test::sampleRunOfOneDModel();
    for (Measurement& m : run.measurements) {
        if (m.variant == "torchscript" && m.phase == Phase::forward && m.cell.d_model == 16 && m.cell.seq_len == 256) {
            m.samples_ms.resize(n);
            m.stats = summarize(m.samples_ms);
        }
    }
    return run;
}

/// Points on the dotted rings that mark a point without an interval.
int ringedPoints(QCustomPlot* plot)
{
    int points = 0;
    for (int i = 0; i < plot->graphCount(); ++i) {
        if (plot->graph(i)->objectName() == QStringLiteral("noIntervalRings"))
            points += plot->graph(i)->data()->size();
    }
    return points;
}

/// The error bar below and above the first point of the d_model 16 curve of `variant`.
std::pair<double, double> barAt256(QCustomPlot* plot, const QString& variant)
{
    for (int i = 0; i < plot->plottableCount(); ++i) {
        auto* bars = qobject_cast<QCPErrorBars*>(plot->plottable(i));
        if (!bars || !bars->dataPlottable())
            continue;
        const QString name = bars->dataPlottable()->name();
        if (name.contains(QStringLiteral("d_model 16")) && name.contains(variant))
            return { bars->data()->at(0).errorMinus, bars->data()->at(0).errorPlus };
    }
    return { -1, -1 };
}

class ProbedLatencyChart : public LatencyChart {
public:
    using LatencyChart::LatencyChart;
    using LatencyChart::tooltipAt;
};

} // namespace

TEST_CASE("a speedup from too few samples has no interval, no bar and a ringed hollow marker", "[ui][charts][few]")
{
    const RunResult run = runWithFewSamples(min_samples_for_interval - 1);
    const Measurement& few = skewed(run);
    const auto point = speedupPoint(run, few, Centre::median);
    REQUIRE(point);
    CHECK(point->interval == IntervalVerdict::too_few_samples);
    CHECK(point->withheld());
    CHECK(point->uncertain());
    CHECK_FALSE(point->includes_one); // its own reason, not "within noise"
    CHECK(point->low == point->value);
    CHECK(point->high == point->value);
    // Ten samples on both sides: an interval that counts.
    const RunResult enough = runWithFewSamples(min_samples_for_interval);
    CHECK_FALSE(speedupPoint(enough, skewed(enough), Centre::median)->withheld());

    RunStore store;
    store.setRun(run);
    ProbedSpeedupChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.resize(1000, 650);
    chart.show();
    chart.rebuildNow();
    QCustomPlot* plot = chart.plot();
    CHECK(ringedPoints(plot) == 1);
    const auto [below, above] = barAt256(plot, QStringLiteral("torchscript"));
    CHECK(std::isnan(below)); // no bar, not even a whisker
    CHECK(std::isnan(above));
    CHECK(plot->yAxis->label().contains(QStringLiteral("ringed: no interval")));
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const QString text
        = chart.tooltipAt(QPointF(plot->xAxis->coordToPixel(256), plot->yAxis->coordToPixel(point->value)));
    INFO(text.toStdString());
    CHECK(text.contains(QStringLiteral("(no interval: fewer than 10 samples on a side: too few for an interval)")));
    CHECK_FALSE(text.contains(QStringLiteral("95% CI")));
    CHECK(text.endsWith(QStringLiteral("(medians, n 10 and 9)")));
}

TEST_CASE("the latency chart draws no bar for a measurement of too few samples, and rings it", "[ui][charts][few]")
{
    const RunResult run = runWithFewSamples(4);
    const LatencyPoint few = latencyPoint(skewed(run), Centre::median);
    CHECK(few.interval == IntervalVerdict::too_few_samples);
    CHECK(few.low == few.value);
    CHECK(few.high == few.value);
    RunStore store;
    store.setRun(run);
    ProbedLatencyChart chart(store);
    chart.setView({ Workload::attention, Phase::forward });
    chart.resize(1000, 650);
    chart.show();
    chart.rebuildNow();
    QCustomPlot* plot = chart.plot();
    CHECK(ringedPoints(plot) == 1);
    const auto [below, above] = barAt256(plot, QStringLiteral("torchscript"));
    CHECK(std::isnan(below));
    CHECK(std::isnan(above));
    const auto [eager_below, eager_above] = barAt256(plot, QStringLiteral("eager"));
    CHECK(eager_below > 0); // ten samples: its quartiles
    CHECK(eager_above > 0);
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const QString text = chart.tooltipAt(QPointF(plot->xAxis->coordToPixel(256), plot->yAxis->coordToPixel(few.value)));
    INFO(text.toStdString());
    CHECK(text.contains(QStringLiteral("no bar (ringed): fewer than 10 samples")));
}
