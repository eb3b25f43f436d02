#include "samples_plot.h"

#include "compilescope/variant_names.h"

#include "chart_style.h"
#include "display_format.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace compilescope {

namespace {

/// Half the width of a variant's column of dots, in variants (columns are 1 apart).
constexpr double jitter_half_width = 0.25;
constexpr double box_width = 0.6;

/// The horizontal offset of the i-th sample in its column. A golden-ratio sequence rather than random numbers:
/// the dots spread evenly and the picture is the same every time it is drawn.
double jitter(size_t sample)
{
    const double golden = 0.6180339887498949;
    const double unit = std::fmod(static_cast<double>(sample) * golden, 1.0);
    return (2 * unit - 1) * jitter_half_width;
}

} // namespace

SamplesPlot::SamplesPlot(const RunResult& run, const CellKey& cell, Phase phase, QWidget* parent)
    : QWidget(parent)
    , m_title(tr("Raw samples · %1 · %2").arg(describeCell(cell), QString::fromStdString(display_name(phase))))
    , m_logarithmic(new QCheckBox(tr("Logarithmic ms axis"), this))
{
    const std::vector<std::string> run_variants = variants_in(run);
    for (size_t index = 0; index < run_variants.size(); ++index) {
        for (const Measurement& measurement : run.measurements) {
            if (measurement.cell == cell && measurement.phase == phase && measurement.variant == run_variants[index]
                && !measurement.samples_ms.empty())
                m_strips.push_back({ measurement, index });
        }
    }

    // Variants a decade or more apart would squeeze the faster ones into a line on a linear axis.
    double fastest = 0;
    double slowest = 0;
    for (const Strip& strip : m_strips) {
        const auto [low, high]
            = std::minmax_element(strip.measurement.samples_ms.begin(), strip.measurement.samples_ms.end());
        fastest = fastest > 0 ? std::min(fastest, *low) : *low;
        slowest = std::max(slowest, *high);
    }
    m_logarithmic->setObjectName(QStringLiteral("samplesLogarithmic"));
    m_logarithmic->setChecked(fastest > 0 && slowest / fastest >= 10);
    connect(m_logarithmic, &QCheckBox::toggled, this, &SamplesPlot::rebuild);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_logarithmic);
    controls->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    rebuild();
}

std::vector<std::string> SamplesPlot::variants() const
{
    std::vector<std::string> names;
    for (const Strip& strip : m_strips)
        names.push_back(strip.measurement.variant);
    return names;
}

bool SamplesPlot::isLogarithmic() const
{
    return m_logarithmic->isChecked();
}

void SamplesPlot::setLogarithmic(bool logarithmic)
{
    m_logarithmic->setChecked(logarithmic);
}

void SamplesPlot::rebuild()
{
    // A fresh plot for each scale: the log axis of chart_style keeps its ticker in step with the range for as long
    // as the axis lives.
    delete m_plot;
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("samplesPlot"));
    layout()->addWidget(m_plot);
    m_plot->legend->setVisible(false);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0,
        new QCPTextElement(m_plot, m_strips.empty() ? tr("No raw samples stored for this cell and phase") : m_title,
            QFont(font().family(), font().pointSize() + 1, QFont::Bold)));
    m_plot->yAxis->setLabel(tr("Time per iteration (ms)"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeZoom(Qt::Vertical);
    m_plot->axisRect()->setRangeDrag(Qt::Vertical);
    const bool logarithmic = isLogarithmic();
    if (logarithmic)
        makeLogAxis(m_plot->yAxis);

    const QColor text = palette().color(QPalette::Text);
    QVector<double> positions;
    QVector<QString> labels;
    double low = 0;
    double high = 0;
    for (size_t column = 0; column < m_strips.size(); ++column) {
        const Measurement& measurement = m_strips[column].measurement;
        const QColor color = variantColor(m_strips[column].color_index);
        const double key = static_cast<double>(column);

        QCPGraph* dots = m_plot->addGraph();
        dots->setName(QString::fromStdString(variant_label(measurement.variant)));
        dots->setLineStyle(QCPGraph::lsNone);
        QColor dot_color = color;
        dot_color.setAlphaF(0.55f); // overlapping samples show as denser colour
        dots->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, dot_color, dot_color, 4));
        QVector<double> keys;
        QVector<double> values;
        for (size_t sample = 0; sample < measurement.samples_ms.size(); ++sample) {
            keys << key + jitter(sample);
            values << measurement.samples_ms[sample];
        }
        dots->setData(keys, values); // not sorted by key: the jitter is only for the eye

        const Stats& stats = measurement.stats;
        auto* box = new QCPStatisticalBox(m_plot->xAxis, m_plot->yAxis);
        box->setName(dots->name());
        // Whiskers collapsed onto the box: the dots already show the spread.
        box->addData(key, stats.q1_ms, stats.q1_ms, stats.median_ms, stats.q3_ms, stats.q3_ms);
        box->setWidth(box_width);
        box->setWhiskerWidth(0);
        box->setWhiskerPen(Qt::NoPen);
        box->setWhiskerBarPen(Qt::NoPen);
        box->setPen(QPen(color, 1.5));
        box->setBrush(Qt::NoBrush);
        box->setMedianPen(QPen(text, 2.5));

        positions << key;
        labels << QStringLiteral("%1\nn=%2").arg(dots->name()).arg(measurement.samples_ms.size());
        const auto [fastest, slowest]
            = std::minmax_element(measurement.samples_ms.begin(), measurement.samples_ms.end());
        low = column == 0 ? *fastest : std::min(low, *fastest);
        high = column == 0 ? *slowest : std::max(high, *slowest);
    }
    setFixedTicks(m_plot->xAxis, positions, labels);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->xAxis->setRange(-0.6, std::max<double>(1, static_cast<double>(m_strips.size())) - 0.4);
    if (!m_strips.empty())
        m_plot->yAxis->setRange(paddedRange(std::max(low, 1e-6), high, 0.06, logarithmic));
    applyPalette(m_plot, palette());
    m_plot->replot();
}

} // namespace compilescope
