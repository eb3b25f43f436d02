// The size group boxes: the attention grid (d_model x seq_len, batch, causal) and the TransformerLM's configuration.
#include "config_panel.h"

#include "config_panel_parts.h"
#include "sweep_axis_editor.h"

#include <QFormLayout>
#include <QGroupBox>

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

    addSettingRows(m_attention_group, PanelGroup::attention);

    connect(m_d_models, &SweepAxisEditor::changed, this, &ConfigPanel::onEdited);
    connect(m_seq_lens, &SweepAxisEditor::changed, this, &ConfigPanel::onEdited);
    return m_attention_group;
}

QGroupBox* ConfigPanel::buildModelGroup()
{
    m_model_group = new QGroupBox(tr("TransformerLM"), this);
    new QFormLayout(m_model_group);
    addSettingRows(m_model_group, PanelGroup::model);
    return m_model_group;
}

} // namespace compilescope
