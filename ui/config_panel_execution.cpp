// The Execution group box: device, dtype, SDPA backend, the variants, the speedup baseline, the Python and
// AOTInductor settings and the phases, with the tooltips that say what each choice means.
#include "config_panel.h"

#include "compilescope/python.h"
#include "compilescope/validation.h"
#include "compilescope/variant_names.h"
#include "config_panel_parts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>
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

    m_sdpa_backend = new QComboBox(group);
    m_sdpa_backend->setObjectName(QStringLiteral("sdpa_backend"));
    for (const std::string& name : sdpa_backend_names())
        m_sdpa_backend->addItem(qs(name), qs(name));
    m_sdpa_backend->setToolTip(tr("Kernel the fused-sdpa variants may use; auto lets LibTorch choose. A backend that "
                                  "cannot run a cell (e.g. flash on fp32) makes that cell unavailable, with the "
                                  "reason."));
    form->addRow(tr("SDPA backend"), m_sdpa_backend);

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

    m_python = new QLineEdit(group);
    m_python->setObjectName(QStringLiteral("python"));
    m_python->setPlaceholderText(qs(build_python()));
    m_python->setToolTip(tr("The Python (with torch) that runs the Python variants in a child process. Empty: the "
                            "one that owns the linked LibTorch, recorded at build time."));
    form->addRow(tr("Python"), m_python);

    m_python_adamw = new QComboBox(group);
    m_python_adamw->setObjectName(QStringLiteral("python_adamw"));
    for (const std::string& name : python_adamw_names())
        m_python_adamw->addItem(qs(name), qs(name));
    m_python_adamw->setToolTip(tr("AdamW of the Python variants' train step: torch.optim.AdamW's default foreach "
                                  "implementation, or fused=True."));
    form->addRow(tr("Python AdamW"), m_python_adamw);

    m_aoti_cache = new QLineEdit(group);
    m_aoti_cache->setObjectName(QStringLiteral("aoti_cache"));
    m_aoti_cache->setPlaceholderText(qs(default_aoti_cache_directory()));
    m_aoti_cache->setToolTip(tr("Where the AOTInductor variants' packages are kept. Packages are code: only this "
                                "directory's are loaded, and only if it is yours and not writable by others. Empty: "
                                "the default shown."));
    form->addRow(tr("AOTI cache"), m_aoti_cache);

    m_aoti_jobs = new QSpinBox(group);
    m_aoti_jobs->setObjectName(QStringLiteral("aoti_jobs"));
    m_aoti_jobs->setRange(0, max_aoti_jobs);
    m_aoti_jobs->setSpecialValueText(tr("half the cores"));
    m_aoti_jobs->setToolTip(tr("AOTInductor packages exported at once before the sweep measures (one Python process "
                               "each)."));
    form->addRow(tr("AOTI exports"), m_aoti_jobs);

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
    connect(m_sdpa_backend, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
    connect(m_speedup_baseline, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
    connect(m_python, &QLineEdit::textEdited, this, &ConfigPanel::onEdited);
    connect(m_python_adamw, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
    connect(m_aoti_cache, &QLineEdit::textEdited, this, &ConfigPanel::onEdited);
    connect(m_aoti_jobs, &QSpinBox::valueChanged, this, &ConfigPanel::onEdited);
    return group;
}

} // namespace compilescope
