// The Execution group box: device, dtype, the variants, the speedup baseline, the plain settings of the group
// (settings.h: SDPA backend, Python, AOTInductor) and the phases, with the tooltips that say what each choice means.
#include "config_panel.h"

#include "compilescope/python.h"
#include "compilescope/variant_names.h"
#include "config_panel_parts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QVBoxLayout>

namespace compilescope {

namespace {

QString phaseToolTip(Phase phase)
{
    switch (phase) {
    case Phase::forward:
        return ConfigPanel::tr("Forward pass only, without gradients (attention and the model)");
    case Phase::backward:
        return ConfigPanel::tr("Attention only: the backward pass alone; the forward that builds its graph is not "
                               "timed");
    case Phase::forward_backward:
        return ConfigPanel::tr("Attention only: forward and backward together, as one training step would run them");
    case Phase::train_step:
        return ConfigPanel::tr("TransformerLM only: forward, cross-entropy loss, backward and an AdamW update");
    }
    return {};
}

QString dtypeToolTip(Dtype dtype)
{
    switch (dtype) {
    case Dtype::fp32:
        return ConfigPanel::tr("32-bit floats throughout");
    case Dtype::tf32:
        return ConfigPanel::tr("CUDA only: fp32 storage, matmuls on TF32 tensor cores (10-bit mantissa)");
    case Dtype::bf16:
        return ConfigPanel::tr("bfloat16: fp32's range with an 8-bit mantissa");
    case Dtype::fp16:
        return ConfigPanel::tr("IEEE half precision: 16 bits, 11-bit mantissa, small range");
    }
    return {};
}

} // namespace

QGroupBox* ConfigPanel::buildExecutionGroup()
{
    auto* group = new QGroupBox(tr("Execution"), this);
    auto* form = new QFormLayout(group);

    m_device = new QComboBox(group);
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    form->addRow(tr("Device"), m_device);

    m_dtype = new QComboBox(group);
    m_dtype->setObjectName(QStringLiteral("dtype"));
    for (const std::string& name : dtype_names()) {
        m_dtype->addItem(qs(name), qs(name));
        if (const auto dtype = parse_dtype(name))
            m_dtype->setItemData(m_dtype->count() - 1, dtypeToolTip(*dtype), Qt::ToolTipRole);
    }
    form->addRow(tr("dtype"), m_dtype);
    setFieldToolTip(form, m_dtype, tr("Element type of the inputs, parameters and arithmetic"));

    m_variants = new QWidget(group);
    m_variants->setObjectName(QStringLiteral("variants"));
    m_variants_layout = new QVBoxLayout(m_variants);
    m_variants_layout->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Variants"), m_variants);
    if (QWidget* label = form->labelForField(m_variants))
        label->setToolTip(tr("Compilation paths to compare with eager; each one's tooltip says what it does"));

    m_speedup_baseline = new QComboBox(group);
    m_speedup_baseline->setObjectName(QStringLiteral("speedup_baseline"));
    for (const std::string& name : speedup_baseline_names())
        m_speedup_baseline->addItem(qs(variant_label(name)), qs(name));
    m_speedup_baseline->setToolTip(tr("What speedups are relative to in the charts, the table and the reports: C++ "
                                      "eager, or Python eager (the seed report's Uncompiled, so torch-compile over "
                                      "py-eager reads as the seed's speedup). Correctness is always checked against "
                                      "C++ eager."));
    form->addRow(tr("Speedup over"), m_speedup_baseline);

    addSettingRows(group, PanelGroup::execution);
    // Empty means the default: say which.
    qobject_cast<QLineEdit*>(settingWidget(QStringLiteral("python")))->setPlaceholderText(qs(build_python()));
    qobject_cast<QLineEdit*>(settingWidget(QStringLiteral("aoti_cache")))
        ->setPlaceholderText(qs(default_aoti_cache_directory()));

    m_phases = new QWidget(group);
    m_phases->setObjectName(QStringLiteral("phases"));
    auto* phases_layout = new QVBoxLayout(m_phases);
    phases_layout->setContentsMargins(0, 0, 0, 0);
    for (Phase phase : { Phase::forward, Phase::backward, Phase::forward_backward, Phase::train_step }) {
        auto* box = new QCheckBox(qs(display_name(phase)), m_phases);
        box->setObjectName(QStringLiteral("phase.") + qs(to_string(phase)));
        box->setToolTip(phaseToolTip(phase));
        phases_layout->addWidget(box);
        m_phase_boxes.insert(phase, box);
        connect(box, &QCheckBox::toggled, this, &ConfigPanel::onEdited);
    }
    form->addRow(tr("Phases"), m_phases);
    if (QWidget* label = form->labelForField(m_phases))
        label->setToolTip(tr("What one timed iteration runs. Phases the chosen workload lacks are greyed out and do "
                             "not count."));

    connect(m_device, &QComboBox::currentIndexChanged, this, &ConfigPanel::onDeviceChanged);
    connect(m_dtype, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
    connect(m_speedup_baseline, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
    return group;
}

} // namespace compilescope
