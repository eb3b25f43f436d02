// Latency against seq_len (log-log), one curve per d_model x variant with std error bars; a baseline run's
// curves are overlaid dashed.
#pragma once

#include "chart_widget.h"

namespace compilescope {

class LatencyChart : public ChartWidget {
    Q_OBJECT
public:
    explicit LatencyChart(const RunStore& store, QWidget* parent = nullptr);

    QString chartName() const override { return tr("Latency"); }
    QString fileStem() const override { return QStringLiteral("latency"); }

protected:
    void rebuild(const ChartView& view) override;
};

} // namespace compilescope
