// ConfigPanel's frame and reactions: the group boxes stacked under the validation message, the wheel kept for the
// scroll area, and what an edit, a preset, the Quick switch or new capabilities change. The group boxes are built in
// config_panel_<group>.cpp, the widgets are mapped to a SweepConfig in config_panel_mapping.cpp and checked in
// config_panel_validation.cpp.
#include "config_panel.h"

#include "compilescope/presets.h"
#include "compilescope/variant_names.h"
#include "config_panel_parts.h"

#include <QAbstractScrollArea>
#include <QAbstractSlider>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include <algorithm>

namespace compilescope {

namespace {

bool sameGrid(const AttentionConfig& a, const AttentionConfig& b)
{
    return a.d_models == b.d_models && a.seq_lens == b.seq_lens && a.batch == b.batch;
}

bool sameModel(const ModelConfig& a, const ModelConfig& b)
{
    bool same = true;
    for_each_model_setting([&](const auto& setting) { same = same && setting.of(a) == setting.of(b); });
    return same;
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

} // namespace

void setFieldToolTip(QFormLayout* form, QWidget* field, const QString& text)
{
    field->setToolTip(text);
    if (QWidget* label = form->labelForField(field))
        label->setToolTip(text);
}

ConfigPanel::ConfigPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    // At the top, where it is seen whatever field the problem is in; the fields themselves are marked too.
    layout->addWidget(buildValidationLabel());
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
    m_attention_group->setEnabled(hasWorkload(current.workloads, Workload::attention));
    m_model_group->setEnabled(hasWorkload(current.workloads, Workload::transformer_lm));
    for (auto it = m_phase_boxes.begin(); it != m_phase_boxes.end(); ++it)
        it.value()->setEnabled(offersPhase(current.workloads, it.key()));
    settingWidget(QStringLiteral("timing.flush_l2"))->setEnabled(current.device == Device::cuda);
    const auto anyVariant = [&](bool VariantTraits::*trait) {
        return std::any_of(current.variants.begin(), current.variants.end(),
            [&](const std::string& variant) { return variant_traits(variant).*trait; });
    };
    // A setting that only steers some variants is greyed out without one (settings.h: only_with_variants).
    for (const SettingWidget& setting : std::as_const(m_settings)) {
        if (setting.only_with)
            setting.widget->setEnabled(anyVariant(setting.only_with));
    }
    settingWidget(QStringLiteral("python"))
        ->setEnabled(anyVariant(&VariantTraits::python) || anyVariant(&VariantTraits::aot_inductor)); // the exporter
}

} // namespace compilescope
