#include "report_chart_images.h"

#include "latency_chart.h"
#include "roofline_chart.h"
#include "run_store.h"
#include "speedup_chart.h"
#include "speedup_heatmap.h"
#include "theme.h"

#include <algorithm>

namespace compilescope {

ReportChartImages::ReportChartImages(
    const RunResult& run, const RunResult* comparison, const QString& prefix, const ChartImageSize& size)
    : m_store(std::make_unique<RunStore>())
    , m_size(size)
{
    m_store->setRun(run);
    if (comparison)
        m_store->setBaseline(*comparison, {});
    m_charts.push_back(std::make_unique<LatencyChart>(*m_store));
    m_charts.push_back(std::make_unique<SpeedupChart>(*m_store));
    m_charts.push_back(std::make_unique<SpeedupHeatmap>(*m_store));
    m_charts.push_back(std::make_unique<RooflineChart>(*m_store));
    if (m_size.light_background) {
        // These charts are never on screen: they take the document palette once, rather than around every image
        // (renderChartImage() would rebuild a chart twice more per image to switch palettes and back).
        for (const auto& chart : m_charts)
            chart->setPalette(documentPalette());
        m_size.light_background = false;
    }

    m_links = QStringLiteral("\n## Charts\n");
    for (const ChartView& view : m_charts.front()->availableViews()) {
        m_links += QStringLiteral("\n### %1\n").arg(ChartWidget::viewLabel(view));
        for (const auto& chart : m_charts) {
            const auto views = chart->availableViews();
            if (std::find(views.begin(), views.end(), view) == views.end())
                continue;
            // The heatmap shows one variant at a time: one image for each.
            auto* heatmap = dynamic_cast<SpeedupHeatmap*>(chart.get());
            const QStringList variants = heatmap ? heatmap->variants() : QStringList { QString() };
            for (const QString& variant : variants) {
                const QString suffix = variant.isEmpty() ? QString() : QLatin1Char('-') + variant;
                const QString file_name
                    = QStringLiteral("%1%2-%3-%4%5.png")
                          .arg(prefix, chart->fileStem(), QString::fromStdString(to_string(view.workload)),
                              QString::fromStdString(to_string(view.phase)), suffix);
                m_images.push_back({ chart.get(), view, variant, file_name });
                const QString label = variant.isEmpty()
                    ? ChartWidget::viewLabel(view)
                    : ChartWidget::viewLabel(view) + QStringLiteral(" · ") + variant;
                m_links += QStringLiteral("\n![%1 · %2](%3)\n").arg(chart->chartName(), label, file_name);
            }
        }
    }
}

ReportChartImages::~ReportChartImages() = default;

QImage ReportChartImages::render(int index)
{
    const Image& image = m_images.at(static_cast<size_t>(index));
    ChartWidget* chart = image.chart;
    if (!(chart->currentView() == image.view))
        chart->setView(image.view);
    if (auto* heatmap = dynamic_cast<SpeedupHeatmap*>(chart); heatmap && heatmap->variant() != image.variant)
        heatmap->setVariant(image.variant);
    chart->fitTitle(m_size.width); // the image's width, not the screen's
    return renderChartImage(chart->plot(), m_size);
}

} // namespace compilescope
