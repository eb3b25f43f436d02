// Asks for the size and scale of an exported chart image, and whether to draw it on a light background.
#pragma once

#include "chart_export.h"

#include <QDialog>

class QCheckBox;
class QDoubleSpinBox;
class QSpinBox;

namespace compilescope {

class ChartExportDialog : public QDialog {
    Q_OBJECT
public:
    /// `with_scale` is false for PDF, which is vector and has no pixel scale.
    ChartExportDialog(const ChartImageSize& initial, bool with_scale, QWidget* parent = nullptr);

    ChartImageSize size() const;

private:
    QSpinBox* m_width;
    QSpinBox* m_height;
    QDoubleSpinBox* m_scale;
    QCheckBox* m_light_background;
};

} // namespace compilescope
