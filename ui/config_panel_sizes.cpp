// The size group boxes: the attention grid (d_model x seq_len, batch, causal) and the TransformerLM's configuration.
#include "config_panel.h"

#include "config_panel_parts.h"
#include "sweep_axis_editor.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QSpinBox>

namespace compilescope {

QGroupBox* ConfigPanel::buildAttentionGroup()
{
    m_attention_group = new QGroupBox(tr("Attention"), this);
    auto* form = new QFormLayout(m_attention_group);

    m_d_models = new SweepAxisEditor(QStringLiteral("d_model"), 4, 10, m_attention_group);
    m_d_models->setObjectName(QStringLiteral("attention.d_model"));
    form->addRow(tr("d_model"), m_d_models);
    m_seq_lens = new SweepAxisEditor(QStringLiteral("seq_len"), 6, 14, m_attention_group);
    m_seq_lens->setObjectName(QStringLiteral("attention.seq_len"));
    form->addRow(tr("seq_len"), m_seq_lens);

    m_attention_batch = addSpinBox(m_attention_group, QStringLiteral("attention.batch"), tr("batch"), 1, 1 << 16);
    m_causal = new QCheckBox(tr("Causal mask"), m_attention_group);
    m_causal->setObjectName(QStringLiteral("attention.causal"));
    form->addRow(QString(), m_causal);

    connect(m_d_models, &SweepAxisEditor::changed, this, &ConfigPanel::onEdited);
    connect(m_seq_lens, &SweepAxisEditor::changed, this, &ConfigPanel::onEdited);
    connect(m_causal, &QCheckBox::toggled, this, &ConfigPanel::onEdited);
    return m_attention_group;
}

QGroupBox* ConfigPanel::buildModelGroup()
{
    m_model_group = new QGroupBox(tr("TransformerLM"), this);
    auto* form = new QFormLayout(m_model_group);
    for (const ModelField& field : model_fields) {
        m_model_fields.insert(QLatin1String(field.name),
            addSpinBox(m_model_group, QStringLiteral("model.") + QLatin1String(field.name), QLatin1String(field.name),
                1, field.maximum));
    }
    m_rope_theta = new QDoubleSpinBox(m_model_group);
    m_rope_theta->setObjectName(QStringLiteral("model.rope_theta"));
    m_rope_theta->setRange(1, 1e9);
    m_rope_theta->setDecimals(1);
    form->addRow(tr("rope_theta"), m_rope_theta);
    connect(m_rope_theta, &QDoubleSpinBox::valueChanged, this, &ConfigPanel::onEdited);
    return m_model_group;
}

} // namespace compilescope
