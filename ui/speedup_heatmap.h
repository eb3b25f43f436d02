// Speedup of one compiled variant over eager on the d_model x seq_len grid: a diverging colour scale centred on
// 1.0x (log-symmetric, so 0.5x and 2x are equally strong), each cell labelled with its value (grids of up to 40
// rows and columns; the tooltip gives it on larger ones). A cell whose 95%
// interval includes 1.0x is painted neutral and labelled "~value": noise must not look like a result.
#pragma once

#include "chart_widget.h"

#include <cstdint>
#include <vector>

class QComboBox;
class QCPColorScale;

namespace compilescope {

class SpeedupHeatmap : public ChartWidget {
    Q_OBJECT
public:
    explicit SpeedupHeatmap(const RunStore& store, QWidget* parent = nullptr);

    QString chartName() const override { return tr("Heatmap"); }
    QString fileStem() const override { return QStringLiteral("heatmap"); }

    /// The compiled variant shown; empty while the run has none.
    QString variant() const;
    /// The variants it can show: every one in the run but the speedup baseline.
    QStringList variants() const;
    /// Shows `name`'s speedups (one of variants()) and redraws.
    void setVariant(const QString& name);

protected:
    bool supports(Workload workload) const override { return workload == Workload::attention; }
    void rebuild(const ChartView& view) override;
    QString tooltipAt(const QPointF& pixel) const override;

private:
    void refreshVariantCombo();
    /// Hatches a cell whose timings are noisy (diagonal lines), or whose interval does not count (crossed), in a
    /// colour that shows on `background`.
    void addHatch(int column, int row, const QColor& background, bool no_interval);
    /// A dashed frame inside the cell: its speedup has a side measured under load.
    void addUnderLoadFrame(int column, int row, const QColor& background);

    QComboBox* m_variant_combo;
    QCPColorScale* m_scale;
    QString m_variant;
    std::vector<int64_t> m_d_models;
    std::vector<int64_t> m_seq_lens;
    std::vector<QString> m_cell_tooltips; ///< row-major: d_model index * seq_len count + seq_len index
};

} // namespace compilescope
