// Roofline: achieved FLOP/s against arithmetic intensity (FLOP/byte), log-log, under the device's roofs (the
// slanted memory roof and the flat compute roof of Environment::peaks, meeting at the ridge). One marker per
// measurement that has a roofline_point, coloured per variant; an arrow from the speedup baseline (eager) to each
// other variant of the same cell, so a speedup reads as a move toward the roof. docs/roofline.md has the model.
// A baseline run is not overlaid.
#pragma once

#include "chart_widget.h"

#include <QPointer>
#include <QStringList>

class QCPItemText;

namespace compilescope {

class RooflineChart : public ChartWidget {
    Q_OBJECT
public:
    explicit RooflineChart(const RunStore& store, QWidget* parent = nullptr);

    QString chartName() const override { return tr("Roofline"); }
    QString fileStem() const override { return QStringLiteral("roofline"); }

protected:
    void rebuild(const ChartView& view) override;

private:
    /// Breaks the caption's lines for the axis rect's width (after each layout of the plot).
    void fitCaption();
    /// Hides the axes and shows `text` in the middle of the plot (a run without peaks, a view without points).
    void showEmptyState(const QString& text);
    void setAxesVisible(bool visible);

    QPointer<QCPItemText> m_caption; ///< what the roofs are and where they come from, at the top left of the axes
    QStringList m_caption_lines; ///< its lines before they are broken for the width
};

} // namespace compilescope
