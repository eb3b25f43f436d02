// The Workload group box: what is measured, the preset, the Quick switch and the estimate of what Run will cost.
#include "config_panel.h"

#include "compilescope/presets.h"
#include "config_panel_parts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>

namespace compilescope {

QGroupBox* ConfigPanel::buildWorkloadGroup()
{
    auto* group = new QGroupBox(tr("Workload"), this);
    auto* form = new QFormLayout(group);

    m_workload = new QComboBox(group);
    m_workload->setObjectName(QStringLiteral("workload"));
    m_workload->addItem(tr("Attention"), QStringLiteral("attention"));
    m_workload->setItemData(0,
        tr("Single-head scaled dot-product attention on random Q, K, V of shape (batch, seq_len, d_model), over every "
           "d_model x seq_len of the grid"),
        Qt::ToolTipRole);
    m_workload->addItem(tr("TransformerLM"), QStringLiteral("transformer_lm"));
    m_workload->setItemData(1,
        tr("The CS336 TransformerLM (pre-norm, RMSNorm, causal multi-head attention with RoPE, SwiGLU, AdamW), one "
           "model configuration"),
        Qt::ToolTipRole);
    m_workload->addItem(tr("Both"), QStringLiteral("both"));
    m_workload->setItemData(2, tr("The attention grid and the model, one after the other"), Qt::ToolTipRole);
    form->addRow(tr("Workload"), m_workload);
    setFieldToolTip(form, m_workload, tr("What is measured: the attention grid, the TransformerLM, or both"));

    m_preset = new QComboBox(group);
    m_preset->setObjectName(QStringLiteral("preset"));
    m_preset->addItem(tr("(custom)"), QString());
    for (const Preset& preset : all_presets()) {
        m_preset->addItem(qs(preset.name), qs(preset.name));
        m_preset->setItemData(m_preset->count() - 1, qs(preset.description), Qt::ToolTipRole);
    }
    m_preset->setToolTip(tr("Sets the attention grid and the model configuration"));
    form->addRow(tr("Preset"), m_preset);

    m_quick = new QCheckBox(tr("Quick first look"), group);
    m_quick->setObjectName(QStringLiteral("quick"));
    m_quick->setToolTip(tr("As the command line's --quick: attention d_model 16,64 x seq_len 256,1024, one warm-up, "
                           "short adaptive timing windows (the model keeps its size). Untick to get back the grid and "
                           "timing it replaced."));
    form->addRow(QString(), m_quick);

    m_estimate_label = new QLabel(group);
    m_estimate_label->setObjectName(QStringLiteral("estimate"));
    m_estimate_label->setWordWrap(true);
    m_estimate_label->setTextFormat(Qt::PlainText);
    m_estimate_label->setToolTip(tr("What Run will do: measurements (cells x phases x variants), about how long it "
                                    "will take (timed iterations by the stopping rules, AOTInductor exports the cache "
                                    "lacks, the Python start-up and compiles; the range runs from every measurement "
                                    "stopping early to every one running to its maximum time) and the largest memory "
                                    "estimate of one cell"));
    form->addRow(tr("Estimate"), m_estimate_label);

    connect(m_workload, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
    connect(m_preset, &QComboBox::activated, this, &ConfigPanel::onPresetChosen);
    connect(m_quick, &QCheckBox::toggled, this, &ConfigPanel::onQuickToggled);
    return group;
}

} // namespace compilescope
