#include "speedup_heatmap.h"

#include "compilescope/variant_names.h"

#include "chart_data.h"
#include "chart_style.h"
#include "display_format.h"
#include "run_store.h"
#include "theme.h"

#include <QComboBox>
#include <QLabel>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace compilescope {

namespace {

// Red where the variant is slower, blue where it is faster; the middle is the chart's own background so the
// scale reads the same in light and dark themes.
QCPColorGradient divergingGradient(const QPalette& palette)
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(0xb2, 0x18, 0x2b));
    gradient.setColorStopAt(0.25, QColor(0xef, 0x8a, 0x62));
    gradient.setColorStopAt(0.5, palette.color(QPalette::Base));
    gradient.setColorStopAt(0.75, QColor(0x67, 0xa9, 0xcf));
    gradient.setColorStopAt(1.0, QColor(0x21, 0x66, 0xac));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(palette.color(QPalette::Mid));
    return gradient;
}

/// Past this many rows or columns a cell is too small for its label (the tooltip still gives it), and labelling
/// thousands of cells would cost seconds per redraw.
constexpr int max_labelled_cells_per_axis = 40;

/// Ticks at every swept value, or at every k-th one where more would overlap.
void setGridTicks(QCPAxis* axis, const std::vector<int64_t>& values)
{
    const size_t step = values.size() <= static_cast<size_t>(max_labelled_cells_per_axis)
        ? 1
        : (values.size() + max_labelled_cells_per_axis - 1) / max_labelled_cells_per_axis;
    QVector<double> positions;
    QVector<QString> texts;
    for (size_t i = 0; i < values.size(); i += step) {
        positions << static_cast<double>(i);
        texts << QString::number(values[i]);
    }
    setFixedTicks(axis, positions, texts);
}

/// Each value's position in `values`.
std::unordered_map<int64_t, int> positionsOf(const std::vector<int64_t>& values)
{
    std::unordered_map<int64_t, int> positions;
    positions.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        positions.emplace(values[i], static_cast<int>(i));
    return positions;
}

} // namespace

SpeedupHeatmap::SpeedupHeatmap(const RunStore& store, QWidget* parent)
    : ChartWidget(store, parent)
    , m_variant_combo(new QComboBox(this))
    , m_scale(new QCPColorScale(plot()))
{
    m_variant_combo->setObjectName(QStringLiteral("heatmapVariant"));
    m_variant_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_variant_combo->setMinimumContentsLength(minimum_combo_characters);
    addControl(new QLabel(tr("Variant"), this));
    addControl(m_variant_combo);
    connect(m_variant_combo, &QComboBox::activated, this, [this] {
        m_variant = m_variant_combo->currentText();
        rebuildNow();
    });

    m_scale->setType(QCPAxis::atRight);
    m_scale->setDataScaleType(QCPAxis::stLogarithmic);
    m_scale->setLabel(tr("speedup (×, log scale) · ~value: CI includes 1.0x · hatched: noisy · crossed: no interval"));
    m_scale->setVisible(false); // until there is a grid to colour
    m_scale->setRangeDrag(false);
    m_scale->setRangeZoom(false);
    makeLogAxis(m_scale->axis());
    setSideElement(m_scale);
    // Keep the colour bar aligned with the axis rect rather than the full row height.
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, plot()->axisRect()->marginGroup(QCP::msTop));

    plot()->xAxis->setLabel(tr("seq_len (tokens)"));
    plot()->yAxis->setLabel(tr("d_model"));
    plot()->xAxis->grid()->setVisible(false);
    plot()->yAxis->grid()->setVisible(false);
}

QString SpeedupHeatmap::variant() const
{
    return m_variant;
}

QStringList SpeedupHeatmap::variants() const
{
    QStringList compiled;
    for (const std::string& name : variants_in(store().run())) {
        if (name != speedup_baseline(store().run()))
            compiled << QString::fromStdString(name);
    }
    return compiled;
}

void SpeedupHeatmap::setVariant(const QString& name)
{
    m_variant = name;
    rebuildNow();
}

void SpeedupHeatmap::refreshVariantCombo()
{
    const QStringList compiled = variants();
    if (!compiled.contains(m_variant))
        m_variant = compiled.value(0);
    const QSignalBlocker blocker(m_variant_combo);
    m_variant_combo->clear();
    m_variant_combo->addItems(compiled);
    m_variant_combo->setCurrentText(m_variant);
    m_variant_combo->setEnabled(compiled.size() > 1);
}

void SpeedupHeatmap::rebuild(const ChartView& view)
{
    refreshVariantCombo();
    const RunResult& run = store().run();
    m_d_models = viewDModels({ &run }, view);
    m_seq_lens = viewSeqLens({ &run }, view);
    m_cell_tooltips.assign(m_d_models.size() * m_seq_lens.size(), QString());
    // The key is in the title, which breaks into lines where the chart is narrow (the colour bar's label cannot).
    const auto title = [&](const QString& marks) {
        setTitle(tr("Speedup of %1 over %2 (%3s; ~ neutral: within noise; hatched: noisy; cross-hatched: no "
                    "interval%4) · %5 — %6")
                     .arg(m_variant.isEmpty() ? tr("(no compiled variant)") : m_variant,
                         QString::fromStdString(speedup_baseline(run)), centreName(centre()), marks, viewLabel(view),
                         runContext(view)));
    };
    title({});
    m_scale->setVisible(!m_d_models.empty() && !m_seq_lens.empty() && !m_variant.isEmpty());
    if (!m_scale->visible())
        return;

    const int columns = static_cast<int>(m_seq_lens.size());
    const int rows = static_cast<int>(m_d_models.size());
    auto* map = new QCPColorMap(plot()->xAxis, plot()->yAxis);
    // QCPColorMap's cells are range / (size - 1) wide, so a single d_model or seq_len (and the first row of a live
    // sweep) would draw nothing: such a dimension gets two data cells a half apart, both painted, spanning the same
    // [-0.5, 0.5] as one cell would.
    const auto data_range = [](int count) { return count > 1 ? QCPRange(0, count - 1) : QCPRange(-0.25, 0.25); };
    map->data()->setSize(std::max(columns, 2), std::max(rows, 2));
    map->data()->setRange(data_range(columns), data_range(rows));
    map->data()->fill(std::numeric_limits<double>::quiet_NaN());
    const auto paint = [&](int column, int row, double value) {
        for (int c = column; c <= (columns > 1 ? column : 1); ++c) {
            for (int r = row; r <= (rows > 1 ? row : 1); ++r)
                map->data()->setCell(c, r, value);
        }
    };
    map->setColorScale(m_scale);
    map->removeFromLegend();
    map->setInterpolate(false);
    map->setTightBoundary(false);

    std::vector<double> speedups(m_cell_tooltips.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<bool> within_noise(m_cell_tooltips.size(), false);
    std::vector<bool> noisy(m_cell_tooltips.size(), false);
    std::vector<bool> under_load(m_cell_tooltips.size(), false);
    std::vector<bool> withheld(m_cell_tooltips.size(), false);
    std::vector<QString> missing(m_cell_tooltips.size(), tr("n/a"));
    double extreme = 1.1; // at least +-10% so a flat grid is not painted in full colour
    const std::string variant = m_variant.toStdString();
    const RunIndex& run_index = store().runIndex();
    const RunIndex* baseline_index = store().baselineIndex();
    const auto column_of = positionsOf(m_seq_lens);
    const auto row_of = positionsOf(m_d_models);
    for (const Measurement& measurement : run.measurements) {
        if (!inView(measurement, view) || measurement.variant != variant)
            continue;
        const int column = column_of.at(measurement.cell.seq_len);
        const int row = row_of.at(measurement.cell.d_model);
        const size_t cell = static_cast<size_t>(row) * m_seq_lens.size() + static_cast<size_t>(column);
        QString& tooltip = m_cell_tooltips[cell];
        tooltip = tr("d_model %1 · seq_len %2 · %3")
                      .arg(measurement.cell.d_model)
                      .arg(measurement.cell.seq_len)
                      .arg(m_variant);
        const auto speedup = speedupPoint(run_index, measurement, centre());
        if (!speedup) {
            if (!measurement.ok())
                missing[cell] = QString::fromStdString(to_string(measurement.status));
            tooltip += QLatin1Char('\n') + QString::fromStdString(to_string(measurement.status)) + QStringLiteral(": ")
                + QString::fromStdString(measurement.message);
            continue;
        }
        speedups[cell] = speedup->value;
        // Noise must not look like a result: a speedup whose interval includes 1.0x is painted neutral (the colour
        // of 1.0x) and its label says "~" before the value; one whose timings are noisy keeps its colour, hatched.
        // One without an interval that counts (too few samples, a time-slice grid) is neutral and cross-hatched.
        withheld[cell] = speedup->withheld();
        within_noise[cell] = speedup->includes_one || withheld[cell];
        noisy[cell] = speedup->noisy && !within_noise[cell];
        paint(column, row, within_noise[cell] ? 1.0 : speedup->value);
        if (!within_noise[cell])
            extreme = std::max({ extreme, speedup->value, 1.0 / speedup->value });
        const Measurement* eager = run_index.baselineOf(measurement);
        tooltip += tr("\n%1 speedup %2 (%3)\n%4 %5 ms · %6 %7 ms (%1s, n %8 and %9)")
                       .arg(centreName(centre()), formatSpeedup(speedup->value),
                           withheld[cell]
                               ? tr("no interval")
                               : tr("95% CI %1–%2").arg(formatSpeedup(speedup->low), formatSpeedup(speedup->high)),
                           QString::fromStdString(eager->variant), formatMs(latencyPoint(eager->stats, centre()).value),
                           m_variant, formatMs(latencyPoint(measurement.stats, centre()).value))
                       .arg(eager->stats.n)
                       .arg(measurement.stats.n);
        under_load[cell] = speedup->under_load;
        if (under_load[cell])
            tooltip += tr("\nmeasured under load (dashed frame):") + underLoadTooltip(measurement, eager);
        if (withheld[cell])
            tooltip += tr("\nno interval: %1, so the cell is drawn neutral and cross-hatched")
                           .arg(noIntervalReason(speedup->interval));
        else if (within_noise[cell])
            tooltip += tr("\nwithin noise: the interval includes 1.0x, so the cell is drawn neutral");
        else if (noisy[cell])
            tooltip += tr("\nnoisy timings: a side's spread is over the threshold, so the cell is hatched");
        if (baseline_index) {
            if (const Measurement* before = baseline_index->matching(measurement)) {
                if (const auto previous = speedupPoint(*baseline_index, *before, centre()))
                    tooltip += tr("\ncomparison run: %1").arg(formatSpeedup(previous->value));
            }
        }
    }

    if (std::find(under_load.begin(), under_load.end(), true) != under_load.end())
        title(tr("; framed: under load"));
    QCPColorGradient gradient = divergingGradient(palette());
    const QCPRange range(1.0 / extreme, extreme);
    m_scale->setGradient(gradient);
    m_scale->setDataRange(range);

    QFont font = plot()->font();
    if (columns > 8 || rows > 8)
        font.setPointSizeF(font.pointSizeF() * 0.85);
    const bool labelled = rows <= max_labelled_cells_per_axis && columns <= max_labelled_cells_per_axis;
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < columns; ++column) {
            const size_t cell = static_cast<size_t>(row) * m_seq_lens.size() + static_cast<size_t>(column);
            const double value = speedups[cell];
            if (!labelled) {
                if (noisy[cell] || withheld[cell])
                    addHatch(column, row, QColor::fromRgb(gradient.color(withheld[cell] ? 1.0 : value, range, true)),
                        withheld[cell]);
                if (under_load[cell])
                    addUnderLoadFrame(column, row, QColor::fromRgb(gradient.color(value, range, true)));
                continue;
            }
            auto* label = new QCPItemText(plot());
            label->position->setCoords(column, row);
            label->setFont(font);
            if (std::isnan(value)) {
                label->setText(missing[cell]);
                label->setColor(textColorOn(palette().color(QPalette::Mid)));
            } else {
                const double painted = within_noise[cell] ? 1.0 : value;
                label->setText((within_noise[cell] ? QStringLiteral("~") : QString()) + formatSpeedup(value));
                const QColor background = QColor::fromRgb(gradient.color(painted, range, true));
                label->setColor(textColorOn(background));
                if (noisy[cell] || withheld[cell])
                    addHatch(column, row, background, withheld[cell]);
                if (under_load[cell])
                    addUnderLoadFrame(column, row, background);
            }
        }
    }

    setGridTicks(plot()->xAxis, m_seq_lens);
    setGridTicks(plot()->yAxis, m_d_models);
    fitAxes(QCPRange(-0.5, columns - 0.5), QCPRange(-0.5, rows - 0.5));
}

void SpeedupHeatmap::addHatch(int column, int row, const QColor& background, bool no_interval)
{
    auto* hatch = new QCPItemRect(plot());
    hatch->setObjectName(no_interval ? QStringLiteral("noIntervalHatch") : QStringLiteral("noisyHatch"));
    hatch->topLeft->setCoords(column - 0.5, row + 0.5);
    hatch->bottomRight->setCoords(column + 0.5, row - 0.5);
    hatch->setPen(Qt::NoPen);
    // The crossed lines are twice as dense as the diagonal ones: at half strength the value stays readable.
    QColor lines = textColorOn(background);
    if (no_interval)
        lines.setAlphaF(0.45f);
    hatch->setBrush(QBrush(lines, no_interval ? Qt::DiagCrossPattern : Qt::BDiagPattern));
    hatch->setLayer(QStringLiteral("main"));
}

void SpeedupHeatmap::addUnderLoadFrame(int column, int row, const QColor& background)
{
    auto* frame = new QCPItemRect(plot());
    frame->setObjectName(QStringLiteral("underLoadFrame"));
    frame->topLeft->setCoords(column - 0.42, row + 0.42);
    frame->bottomRight->setCoords(column + 0.42, row - 0.42);
    frame->setPen(QPen(textColorOn(background), 2, Qt::DashLine));
    frame->setBrush(Qt::NoBrush);
    frame->setLayer(QStringLiteral("main"));
}

QString SpeedupHeatmap::tooltipAt(const QPointF& pixel) const
{
    // A hidden grid is a run with nothing to show here (a new sweep's start): its cells are the last run's.
    if (m_seq_lens.empty() || m_d_models.empty() || !plot()->axisRect()->visible()
        || !plot()->axisRect()->rect().contains(pixel.toPoint()))
        return {};
    const long column = std::lround(plot()->xAxis->pixelToCoord(pixel.x()));
    const long row = std::lround(plot()->yAxis->pixelToCoord(pixel.y()));
    if (column < 0 || row < 0 || column >= static_cast<long>(m_seq_lens.size())
        || row >= static_cast<long>(m_d_models.size()))
        return {};
    return m_cell_tooltips[static_cast<size_t>(row) * m_seq_lens.size() + static_cast<size_t>(column)];
}

} // namespace compilescope
