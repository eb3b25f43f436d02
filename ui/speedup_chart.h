// Speedup (eager / variant) against seq_len, one curve per d_model x compiled variant with 95% confidence bars,
// and a dashed line at 1.0x; a baseline run's speedups are overlaid dashed.
#pragma once

#include "chart_widget.h"

namespace compilescope {

class SpeedupChart : public ChartWidget {
    Q_OBJECT
public:
    explicit SpeedupChart(const RunStore& store, QWidget* parent = nullptr);

    QString chartName() const override { return tr("Speedup"); }
    QString fileStem() const override { return QStringLiteral("speedup"); }

protected:
    void rebuild(const ChartView& view) override;
};

} // namespace compilescope
