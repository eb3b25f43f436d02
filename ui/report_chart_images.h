// The chart images of a Markdown report: which there are (latency, speedup, roofline and one heatmap per compiled
// variant, for every workload and phase of the run), their file names, the section linking them, and each drawn on
// request, one at a time, so that an export can give the event loop a turn between two of them.
#pragma once

#include "chart_export.h"
#include "chart_widget.h"
#include "compilescope/results.h"

#include <QImage>
#include <QString>

#include <memory>
#include <vector>

namespace compilescope {

class RunStore;

class ReportChartImages {
public:
    /// Charts of `run` (with `comparison` as their baseline, if any) at `size`, named
    /// `<prefix><chart>-<workload>-<phase>.png` (the heatmap's with `-<variant>` before `.png`).
    ReportChartImages(
        const RunResult& run, const RunResult* comparison, const QString& prefix, const ChartImageSize& size);
    ~ReportChartImages();
    ReportChartImages(const ReportChartImages&) = delete;
    ReportChartImages& operator=(const ReportChartImages&) = delete;

    int count() const { return static_cast<int>(m_images.size()); }
    QString fileName(int index) const { return m_images.at(static_cast<size_t>(index)).file_name; }
    /// Draws image `index`. On the GUI thread only (QCustomPlot draws there); tens of milliseconds each.
    QImage render(int index);
    /// The "## Charts" section: a heading per workload and phase, then a link to each of its images.
    const QString& markdownLinks() const { return m_links; }

private:
    struct Image {
        ChartWidget* chart;
        ChartView view;
        QString variant; ///< the heatmap's compiled variant; empty for the other charts
        QString file_name;
    };

    std::unique_ptr<RunStore> m_store;
    std::vector<std::unique_ptr<ChartWidget>> m_charts;
    std::vector<Image> m_images;
    QString m_links;
    ChartImageSize m_size;
};

} // namespace compilescope
