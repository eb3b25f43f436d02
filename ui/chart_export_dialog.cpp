#include "chart_export_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

namespace compilescope {

ChartExportDialog::ChartExportDialog(const ChartImageSize& initial, bool with_scale, QWidget* parent)
    : QDialog(parent)
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_scale(new QDoubleSpinBox(this))
    , m_light_background(new QCheckBox(tr("Light background (for documents)"), this))
{
    setWindowTitle(tr("Chart size"));
    m_width->setRange(200, 8000);
    m_width->setSuffix(with_scale ? tr(" px") : tr(" pt"));
    m_width->setValue(initial.width);
    m_height->setRange(150, 8000);
    m_height->setSuffix(m_width->suffix());
    m_height->setValue(initial.height);
    m_scale->setRange(0.5, 4.0);
    m_scale->setSingleStep(0.5);
    m_scale->setDecimals(1);
    m_scale->setSuffix(QStringLiteral("×"));
    m_scale->setValue(initial.scale);
    m_scale->setToolTip(tr("2× renders twice the pixels at the same layout, for high-DPI screens"));

    m_light_background->setObjectName(QStringLiteral("lightBackground"));
    m_light_background->setChecked(initial.light_background);
    m_light_background->setToolTip(tr("White background and black text whatever the app's theme; the screen keeps "
                                      "its colours"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("Width"), m_width);
    form->addRow(tr("Height"), m_height);
    if (with_scale)
        form->addRow(tr("Scale"), m_scale);
    else
        m_scale->hide();
    form->addRow(m_light_background);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ChartImageSize ChartExportDialog::size() const
{
    return { m_width->value(), m_height->value(), m_scale->value(), m_light_background->isChecked() };
}

} // namespace compilescope
