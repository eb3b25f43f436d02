#include "config_panel.h"

#include "compilescope/presets.h"
#include "compilescope/python.h"
#include "compilescope/sweep.h"
#include "compilescope/validation.h"
#include "compilescope/variant_names.h"
#include "run_estimate.h"
#include "sweep_axis_editor.h"
#include "theme.h"

#include <QAbstractScrollArea>
#include <QAbstractSlider>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <utility>

namespace compilescope {

namespace {

struct ModelField {
    const char* name;
    const char* label;
    int64_t ModelConfig::*member;
    int maximum;
};

// The model fields in the order of the core's ModelConfig and the seed report's Model Configuration list.
constexpr std::array<ModelField, 8> model_fields { {
    { "vocab_size", "vocab_size", &ModelConfig::vocab_size, 1 << 20 },
    { "context_length", "context_length", &ModelConfig::context_length, 1 << 20 },
    { "d_model", "d_model", &ModelConfig::d_model, 1 << 16 },
    { "num_layers", "num_layers", &ModelConfig::num_layers, 1024 },
    { "num_heads", "num_heads", &ModelConfig::num_heads, 1024 },
    { "d_ff", "d_ff", &ModelConfig::d_ff, 1 << 18 },
    { "batch", "batch", &ModelConfig::batch, 1 << 16 },
    { "seq_len", "seq_len", &ModelConfig::seq_len, 1 << 20 },
} };

bool sameGrid(const AttentionConfig& a, const AttentionConfig& b)
{
    return a.d_models == b.d_models && a.seq_lens == b.seq_lens && a.batch == b.batch;
}

bool sameModel(const ModelConfig& a, const ModelConfig& b)
{
    return std::all_of(model_fields.begin(), model_fields.end(), [&](const ModelField& field) {
        return a.*field.member == b.*field.member;
    }) && a.rope_theta == b.rope_theta;
}

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

// What a user reading "d_model" needs to know: the attention grid's, or the model's.
bool namesBothParts(const std::string& field)
{
    return field == "d_model" || field == "seq_len" || field == "batch";
}

bool containsError(const std::vector<ConfigError>& errors, const ConfigError& error)
{
    return std::any_of(errors.begin(), errors.end(),
        [&](const ConfigError& other) { return other.field == error.field && other.message == error.message; });
}

/// Whether `config` is what apply_quick makes of it: its grid and timing are Quick's.
bool isQuick(const SweepConfig& config)
{
    SweepConfig quick = config;
    apply_quick(quick);
    const MeasureConfig& a = quick.measure;
    const MeasureConfig& b = config.measure;
    return sameGrid(quick.attention, config.attention) && a.warmup_iters == b.warmup_iters
        && a.fixed_iters == b.fixed_iters && a.min_time_s == b.min_time_s && a.max_time_s == b.max_time_s
        && a.min_iters == b.min_iters && a.max_iters == b.max_iters;
}

/// Quick's grid and timing put back as `source` had them.
void restoreFromQuick(SweepConfig& config, const SweepConfig& source)
{
    config.attention.d_models = source.attention.d_models;
    config.attention.seq_lens = source.attention.seq_lens;
    config.measure.warmup_iters = source.measure.warmup_iters;
    config.measure.fixed_iters = source.measure.fixed_iters;
    config.measure.min_time_s = source.measure.min_time_s;
    config.measure.max_time_s = source.measure.max_time_s;
    config.measure.min_iters = source.measure.min_iters;
    config.measure.max_iters = source.measure.max_iters;
}

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

void setFieldToolTip(QFormLayout* form, QWidget* field, const QString& text)
{
    field->setToolTip(text);
    if (QWidget* label = form->labelForField(field))
        label->setToolTip(text);
}

void selectData(QComboBox* combo, const QString& data)
{
    const int index = combo->findData(data);
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace

ConfigPanel::ConfigPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    // At the top, where it is seen whatever field the problem is in; the fields themselves are marked too.
    m_validation_label = new QLabel(this);
    m_validation_label->setObjectName(QStringLiteral("validationMessage"));
    m_validation_label->setWordWrap(true);
    m_validation_label->setTextFormat(Qt::PlainText);
    m_validation_label->setFrameShape(QFrame::StyledPanel);
    m_validation_label->setMargin(6);
    QPalette warning = m_validation_label->palette();
    warning.setColor(QPalette::WindowText, errorColor(warning));
    m_validation_label->setPalette(warning);
    layout->addWidget(m_validation_label);
    layout->addWidget(buildWorkloadGroup());
    layout->addWidget(buildAttentionGroup());
    layout->addWidget(buildModelGroup());
    layout->addWidget(buildExecutionGroup());
    layout->addWidget(buildTimingGroup());
    layout->addStretch(1);

    for (QWidget* child : findChildren<QWidget*>()) {
        if (qobject_cast<QAbstractSpinBox*>(child) || qobject_cast<QComboBox*>(child)
            || qobject_cast<QAbstractSlider*>(child)) {
            child->setFocusPolicy(Qt::StrongFocus);
            child->installEventFilter(this);
        }
    }

    // A first launch (no saved configuration) is a first look that finishes in minutes, not the full seed grid.
    // As `--preset seed --quick`.
    SweepConfig first_look;
    apply_preset(all_presets().front(), first_look);
    first_look.preset = all_presets().front().name;
    apply_quick(first_look);
    setConfig(first_look);
    m_configured = false; // the defaults above are no choice: a first launch still gets every variant
}

bool ConfigPanel::eventFilter(QObject* watched, QEvent* event)
{
    auto* widget = static_cast<QWidget*>(watched);
    if (event->type() == QEvent::Wheel && !widget->hasFocus()) {
        // To the scroll area the panel sits in (if any), whose viewport scrolls it; never to the widget.
        for (QWidget* parent = widget->parentWidget(); parent; parent = parent->parentWidget()) {
            if (auto* area = qobject_cast<QAbstractScrollArea*>(parent)) {
                QCoreApplication::sendEvent(area->viewport(), event);
                break;
            }
        }
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

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
    m_estimate_label->setToolTip(tr("What Run will do: measurements (cells x phases x variants), a lower bound on "
                                    "the time (each iteration at the device's peak speed; compilation not included) "
                                    "and the largest memory estimate of one cell"));
    form->addRow(tr("Estimate"), m_estimate_label);

    connect(m_workload, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
    connect(m_preset, &QComboBox::activated, this, &ConfigPanel::onPresetChosen);
    connect(m_quick, &QCheckBox::toggled, this, &ConfigPanel::onQuickToggled);
    return group;
}

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
            addSpinBox(m_model_group, QStringLiteral("model.") + QLatin1String(field.name), QLatin1String(field.label),
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

QGroupBox* ConfigPanel::buildTimingGroup()
{
    auto* group = new QGroupBox(tr("Timing"), this);
    auto* form = new QFormLayout(group);
    m_warmup = addSpinBox(group, QStringLiteral("timing.warmup"), tr("Warm-up iterations"), 0, 100000);
    m_iterations = addSpinBox(group, QStringLiteral("timing.iterations"), tr("Timed iterations"), 0, 1000000);
    m_iterations->setSpecialValueText(tr("adaptive"));
    m_iterations->setToolTip(tr("A fixed count, or adaptive: run for at least the minimum time, then until the "
                                "standard error is small enough"));

    m_min_time = new QDoubleSpinBox(group);
    m_min_time->setObjectName(QStringLiteral("timing.min_time"));
    m_min_time->setRange(0.01, 3600);
    m_min_time->setDecimals(2);
    m_min_time->setSuffix(tr(" s"));
    form->addRow(tr("Minimum time"), m_min_time);

    m_threads = addSpinBox(group, QStringLiteral("timing.threads"), tr("Threads"), 0, 4 * QThread::idealThreadCount());
    m_threads->setSpecialValueText(tr("LibTorch default"));

    m_flush_l2 = new QCheckBox(tr("Flush L2 before each iteration"), group);
    m_flush_l2->setObjectName(QStringLiteral("timing.flush_l2"));
    m_flush_l2->setToolTip(tr("CUDA only: overwrite twice the L2 cache before every timed iteration, so each "
                              "starts with a cold cache"));
    form->addRow(QString(), m_flush_l2);
    connect(m_flush_l2, &QCheckBox::toggled, this, &ConfigPanel::onEdited);

    m_profile = new QCheckBox(tr("Profiled pass (kernels, GPU busy, traces)"), group);
    m_profile->setObjectName(QStringLiteral("timing.profile"));
    m_profile->setToolTip(tr("After each measurement's timed iterations, run a few more under LibTorch's profiler "
                             "(Kineto): kernels or operators per iteration, GPU-busy share, top kernels and a Chrome "
                             "trace (Results: right-click). Timed figures never include the profiler."));
    form->addRow(QString(), m_profile);
    connect(m_profile, &QCheckBox::toggled, this, &ConfigPanel::onEdited);

    connect(m_min_time, &QDoubleSpinBox::valueChanged, this, &ConfigPanel::onEdited);
    return group;
}

QSpinBox* ConfigPanel::addSpinBox(
    QGroupBox* group, const QString& object_name, const QString& label, int minimum, int maximum)
{
    auto* spin = new QSpinBox(group);
    spin->setObjectName(object_name);
    spin->setRange(minimum, maximum);
    spin->setAccelerated(true);
    static_cast<QFormLayout*>(group->layout())->addRow(label, spin);
    connect(spin, &QSpinBox::valueChanged, this, &ConfigPanel::onEdited);
    return spin;
}

void ConfigPanel::setCapabilities(const Capabilities& capabilities)
{
    const SweepConfig current = config();
    m_capabilities = capabilities;
    {
        const QSignalBlocker blocker(m_device);
        // A configuration set before the probe answered (a scripted --device cuda) left a placeholder: name it.
        const QString cuda_text
            = capabilities.cuda ? tr("CUDA (%1)").arg(qs(capabilities.environment.gpu_name)) : tr("CUDA (unavailable)");
        const int cuda = m_device->findData(QStringLiteral("cuda"));
        if (cuda >= 0)
            m_device->setItemText(cuda, cuda_text);
        else if (capabilities.cuda)
            m_device->addItem(cuda_text, QStringLiteral("cuda"));
    }
    const bool first_launch = !m_configured;
    setConfig(current);
    m_configured = !first_launch;
    // Nothing chose the variants yet (a first launch): offer every compilation path this build has.
    if (first_launch)
        checkAvailableVariants();
}

void ConfigPanel::setConfig(const SweepConfig& config)
{
    m_updating = true;
    m_configured = true;
    m_base = config;

    const bool attention = std::count(config.workloads.begin(), config.workloads.end(), Workload::attention) > 0;
    const bool model = std::count(config.workloads.begin(), config.workloads.end(), Workload::transformer_lm) > 0;
    selectData(m_workload,
        attention && model ? QStringLiteral("both")
            : model        ? QStringLiteral("transformer_lm")
                           : QStringLiteral("attention"));

    m_d_models->setValues(config.attention.d_models);
    m_seq_lens->setValues(config.attention.seq_lens);
    m_attention_batch->setValue(static_cast<int>(config.attention.batch));
    m_causal->setChecked(config.attention.causal);
    for (const ModelField& field : model_fields)
        m_model_fields.value(QLatin1String(field.name))->setValue(static_cast<int>(config.model.*field.member));
    m_rope_theta->setValue(config.model.rope_theta);

    const QString device = qs(to_string(config.device));
    if (m_device->findData(device) < 0)
        m_device->addItem(
            m_capabilities ? tr("%1 (unavailable)").arg(device.toUpper()) : tr("%1 (checking…)").arg(device.toUpper()),
            device);
    selectData(m_device, device);
    selectData(m_dtype, qs(to_string(config.dtype)));
    selectData(m_sdpa_backend, qs(to_string(config.sdpa_backend)));
    selectData(m_speedup_baseline, qs(config.speedup_baseline));
    m_python->setText(qs(config.python));
    selectData(m_python_adamw, qs(to_string(config.python_adamw)));
    m_aoti_cache->setText(qs(config.aoti_cache));
    m_aoti_jobs->setValue(config.aoti_jobs);
    rebuildVariantBoxes(config.variants);
    for (auto it = m_phase_boxes.begin(); it != m_phase_boxes.end(); ++it) {
        it.value()->setChecked(config.phases.empty()
            || std::find(config.phases.begin(), config.phases.end(), it.key()) != config.phases.end());
    }

    m_warmup->setValue(config.measure.warmup_iters);
    m_iterations->setValue(config.measure.fixed_iters);
    m_min_time->setValue(config.measure.min_time_s);
    m_flush_l2->setChecked(config.measure.flush_l2);
    m_profile->setChecked(config.measure.profile);
    m_threads->setValue(config.threads);
    m_updating = false;
    onEdited();
}

SweepConfig ConfigPanel::config() const
{
    SweepConfig config = m_base;
    const QString workload = m_workload->currentData().toString();
    if (workload == QLatin1String("both"))
        config.workloads = { Workload::attention, Workload::transformer_lm };
    else
        config.workloads = { parse_workload(workload.toStdString()).value_or(Workload::attention) };

    if (const auto d_models = m_d_models->values())
        config.attention.d_models = *d_models;
    if (const auto seq_lens = m_seq_lens->values())
        config.attention.seq_lens = *seq_lens;
    config.attention.batch = m_attention_batch->value();
    config.attention.causal = m_causal->isChecked();
    for (const ModelField& field : model_fields)
        config.model.*field.member = m_model_fields.value(QLatin1String(field.name))->value();
    config.model.rope_theta = m_rope_theta->value();

    config.device = parse_device(m_device->currentData().toString().toStdString()).value_or(Device::cpu);
    config.dtype = parse_dtype(m_dtype->currentData().toString().toStdString()).value_or(Dtype::fp32);
    config.sdpa_backend
        = parse_sdpa_backend(m_sdpa_backend->currentData().toString().toStdString()).value_or(SdpaBackend::auto_select);
    config.speedup_baseline = m_speedup_baseline->currentData().toString().toStdString();
    config.python = m_python->text().trimmed().toStdString();
    config.aoti_cache = m_aoti_cache->text().trimmed().toStdString();
    config.aoti_jobs = m_aoti_jobs->value();
    config.python_adamw = parse_python_adamw(m_python_adamw->currentData().toString().toStdString())
                              .value_or(PythonAdamW::multi_tensor);
    if (m_capabilities) {
        config.variants.clear();
        for (const VariantInfo& variant : m_capabilities->variants(config.device)) {
            const QCheckBox* box = m_variant_boxes.value(qs(variant.name));
            if (box && box->isEnabled() && box->isChecked())
                config.variants.push_back(variant.name);
        }
    }
    // Only the phases of the chosen workloads count: a greyed-out box keeps its tick for when its workload comes
    // back, but is neither validated nor saved.
    config.phases.clear();
    const auto offered = [&](Phase phase) {
        return std::any_of(config.workloads.begin(), config.workloads.end(), [&](Workload workload) {
            const auto phases = phases_of(workload);
            return std::find(phases.begin(), phases.end(), phase) != phases.end();
        });
    };
    bool all_phases = true;
    for (auto it = m_phase_boxes.begin(); it != m_phase_boxes.end(); ++it) {
        if (offered(it.key()) && it.value()->isChecked())
            config.phases.push_back(it.key());
        else if (offered(it.key()))
            all_phases = false;
    }
    if (all_phases)
        config.phases.clear();

    config.measure.warmup_iters = m_warmup->value();
    config.measure.fixed_iters = m_iterations->value();
    config.measure.min_time_s = m_min_time->value();
    config.measure.flush_l2 = m_flush_l2->isChecked() && config.device == Device::cuda;
    config.measure.profile = m_profile->isChecked();
    config.threads = m_threads->value();
    config.preset = m_preset->currentData().toString().toStdString();
    return config;
}

std::string ConfigPanel::startingPreset(const SweepConfig& current) const
{
    // A configuration loaded as "seed, shrunk by --quick" still started from seed, until the grid or model is edited.
    for (const Preset& preset : all_presets()) {
        if (sameGrid(preset.attention, current.attention) && sameModel(preset.model, current.model))
            return preset.name;
    }
    if (sameGrid(m_base.attention, current.attention) && sameModel(m_base.model, current.model))
        return m_base.preset;
    return {};
}

void ConfigPanel::onEdited()
{
    if (m_updating)
        return;
    updatePresetCombo();
    updateEnabledGroups();
    revalidate();
    Q_EMIT configChanged();
}

void ConfigPanel::onPresetChosen(int index)
{
    const auto preset = find_preset(m_preset->itemData(index).toString().toStdString());
    if (!preset)
        return;
    SweepConfig current = config();
    apply_preset(*preset, current);
    current.preset = preset->name;
    setConfig(current);
}

void ConfigPanel::onQuickToggled(bool quick)
{
    SweepConfig current = config();
    if (quick) {
        m_before_quick = current;
        apply_quick(current);
    } else {
        // Back to what Quick replaced; without that (Quick came from a saved or scripted configuration), to the
        // preset's grid, or the default one, with the default timing.
        SweepConfig source;
        if (const auto preset = find_preset(current.preset))
            apply_preset(*preset, source);
        restoreFromQuick(current, m_before_quick.value_or(source));
        m_before_quick.reset();
    }
    setConfig(current);
}

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
    const Device device = parse_device(m_device->currentData().toString().toStdString()).value_or(Device::cpu);
    for (const VariantInfo& variant : m_capabilities->variants(device)) {
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

void ConfigPanel::updatePresetCombo()
{
    const SweepConfig current = config();
    const QSignalBlocker blocker(m_preset);
    m_preset->setCurrentIndex(std::max(0, m_preset->findData(qs(startingPreset(current)))));
    const QSignalBlocker quick_blocker(m_quick);
    m_quick->setChecked(isQuick(current));
}

void ConfigPanel::updateEnabledGroups()
{
    const SweepConfig current = config();
    for (Workload workload : { Workload::attention, Workload::transformer_lm }) {
        const bool selected
            = std::find(current.workloads.begin(), current.workloads.end(), workload) != current.workloads.end();
        (workload == Workload::attention ? m_attention_group : m_model_group)->setEnabled(selected);
    }
    for (auto it = m_phase_boxes.begin(); it != m_phase_boxes.end(); ++it) {
        const bool offered = std::any_of(current.workloads.begin(), current.workloads.end(), [&](Workload workload) {
            const auto phases = phases_of(workload);
            return std::find(phases.begin(), phases.end(), it.key()) != phases.end();
        });
        it.value()->setEnabled(offered);
    }
    m_flush_l2->setEnabled(current.device == Device::cuda);
    // The backend matters only to the variants built on at::scaled_dot_product_attention.
    m_sdpa_backend->setEnabled(std::any_of(current.variants.begin(), current.variants.end(),
        [](const std::string& variant) { return variant_traits(variant).fused_sdpa; }));
    const bool python = std::any_of(current.variants.begin(), current.variants.end(), is_python_variant);
    const bool aoti = std::any_of(current.variants.begin(), current.variants.end(), is_aot_inductor_variant);
    m_python->setEnabled(python || aoti); // the exporter runs in that Python too
    m_python_adamw->setEnabled(python);
    m_aoti_cache->setEnabled(aoti);
    m_aoti_jobs->setEnabled(aoti);
}

void ConfigPanel::revalidate()
{
    QStringList problems;
    QList<QWidget*> fields;
    for (SweepAxisEditor* editor : { m_d_models, m_seq_lens }) {
        if (!editor->errorText().isEmpty()) {
            problems << editor->errorText();
            fields << editor->listEdit();
        }
    }
    const bool any_phase = std::any_of(m_phase_boxes.begin(), m_phase_boxes.end(),
        [](const QCheckBox* box) { return box->isEnabled() && box->isChecked(); });
    if (!any_phase) {
        problems << tr("phases: select at least one phase of the chosen workload");
        fields << m_phases;
    }
    if (!m_capabilities)
        problems << tr("Waiting for LibTorch to report devices and variants…");
    if (problems.isEmpty()) {
        const SweepConfig current = config();
        // An error of the attention grid alone is the grid's; the rest are the model's or shared (the CLI tells
        // --batch from --model-batch the same way).
        const bool attention = std::count(current.workloads.begin(), current.workloads.end(), Workload::attention) > 0;
        std::vector<ConfigError> attention_errors;
        if (attention) {
            SweepConfig attention_only = current;
            attention_only.workloads = { Workload::attention };
            attention_errors = validate_config(attention_only);
        }
        for (const ConfigError& error : validate_config(current)) {
            const bool of_attention = attention && containsError(attention_errors, error);
            QString field = qs(error.field);
            if (namesBothParts(error.field))
                field = (of_attention ? tr("attention %1") : tr("model %1")).arg(field);
            problems << field + QStringLiteral(": ") + qs(error.message);
            if (QWidget* widget = fieldWidget(error.field, of_attention))
                fields << widget;
        }
    }

    const QString message = problems.join(QLatin1Char('\n'));
    const bool valid = problems.isEmpty();
    m_validation_label->setText(message);
    m_validation_label->setVisible(!valid);
    markInvalidFields(fields);
    showEstimate(valid);
    if (valid == m_valid && message == m_message)
        return;
    m_valid = valid;
    m_message = message;
    Q_EMIT validityChanged(m_valid, m_message);
}

QWidget* ConfigPanel::fieldWidget(const std::string& field, bool attention) const
{
    if (attention && field == "d_model")
        return m_d_models->listEdit();
    if (attention && field == "seq_len")
        return m_seq_lens->listEdit();
    if (attention && field == "batch")
        return m_attention_batch;
    if (QSpinBox* model_field = m_model_fields.value(qs(field)))
        return model_field;
    const QMap<QString, QWidget*> shared {
        { QStringLiteral("workload"), m_workload },
        { QStringLiteral("rope_theta"), m_rope_theta },
        { QStringLiteral("variants"), m_variants },
        { QStringLiteral("speedup_baseline"), m_speedup_baseline },
        { QStringLiteral("phases"), m_phases },
        { QStringLiteral("device"), m_device },
        { QStringLiteral("dtype"), m_dtype },
        { QStringLiteral("flush_l2"), m_flush_l2 },
        { QStringLiteral("threads"), m_threads },
        { QStringLiteral("aoti_jobs"), m_aoti_jobs },
        { QStringLiteral("warmup"), m_warmup },
        { QStringLiteral("iters"), m_iterations },
        { QStringLiteral("min_time"), m_min_time },
    };
    return shared.value(qs(field));
}

void ConfigPanel::markInvalidFields(const QList<QWidget*>& fields)
{
    for (QWidget* field : std::as_const(m_invalid_fields)) {
        if (!fields.contains(field))
            field->setPalette(QPalette()); // inherit the panel's again
    }
    for (QWidget* field : fields) {
        // The input's background and the text of check boxes turn to the error colour, light and dark themes alike.
        QPalette marked = palette();
        const QColor error = errorColor(marked);
        QColor base = marked.color(QPalette::Base);
        base = QColor::fromRgbF((base.redF() * 3 + error.redF()) / 4, (base.greenF() * 3 + error.greenF()) / 4,
            (base.blueF() * 3 + error.blueF()) / 4);
        marked.setColor(QPalette::Base, base);
        marked.setColor(QPalette::WindowText, error);
        field->setPalette(marked);
    }
    m_invalid_fields = fields;
}

void ConfigPanel::showEstimate(bool valid)
{
    // Valid means LibTorch has answered too, which the device's roofs need.
    if (!valid) {
        m_estimate_label->setText(tr("once the configuration is valid"));
        m_estimate_label->setPalette(QPalette());
        return;
    }
    const RunEstimate estimate = estimateRun(config());
    m_estimate_label->setText(describeEstimate(estimate));
    QPalette marked = palette();
    marked.setColor(QPalette::WindowText, errorColor(marked));
    m_estimate_label->setPalette(needsConfirmation(estimate) ? marked : QPalette());
}

} // namespace compilescope
