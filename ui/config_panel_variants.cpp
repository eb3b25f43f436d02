// The variant check boxes: one per variant LibTorch offers on the chosen device, rebuilt when the device changes,
// the unavailable ones greyed out with the reason.
#include "config_panel.h"

#include "compilescope/variant_names.h"
#include "config_panel_parts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace compilescope {

void ConfigPanel::onDeviceChanged()
{
    if (m_updating)
        return;
    std::vector<std::string> checked;
    for (auto it = m_variant_boxes.begin(); it != m_variant_boxes.end(); ++it) {
        if (it.value()->isChecked())
            checked.push_back(it.key().toStdString());
    }
    m_updating = true;
    rebuildVariantBoxes(checked);
    m_updating = false;
    onEdited();
}

void ConfigPanel::checkAvailableVariants()
{
    for (QCheckBox* box : std::as_const(m_variant_boxes))
        box->setChecked(box->isEnabled());
    onEdited();
}

void ConfigPanel::checkVariants(const std::vector<std::string>& names)
{
    for (auto it = m_variant_boxes.begin(); it != m_variant_boxes.end(); ++it)
        it.value()->setChecked(
            it.value()->isEnabled() && std::find(names.begin(), names.end(), it.key().toStdString()) != names.end());
    onEdited();
}

void ConfigPanel::rebuildVariantBoxes(const std::vector<std::string>& checked)
{
    qDeleteAll(m_variant_boxes);
    m_variant_boxes.clear();
    while (QLayoutItem* item = m_variants_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (!m_capabilities) {
        auto* waiting = new QLabel(tr("Asking LibTorch which variants exist…"));
        waiting->setEnabled(false);
        m_variants_layout->addWidget(waiting);
        return;
    }
    for (const VariantInfo& variant : m_capabilities->variants(chosenDevice())) {
        auto* box = new QCheckBox(qs(variant_label(variant.name)));
        box->setObjectName(QStringLiteral("variant.") + qs(variant.name));
        const QString reason = qs(variant.reason);
        if (variant.available) {
            box->setChecked(std::find(checked.begin(), checked.end(), variant.name) != checked.end());
            box->setToolTip(
                reason.isEmpty() ? qs(variant.description) : qs(variant.description) + QLatin1Char('\n') + reason);
        } else {
            box->setEnabled(false);
            box->setToolTip(tr("Unavailable: %1").arg(reason));
        }
        m_variants_layout->addWidget(box);
        m_variant_boxes.insert(qs(variant.name), box);
        connect(box, &QCheckBox::toggled, this, &ConfigPanel::onEdited);
    }
}

} // namespace compilescope
