// The widgets <-> SweepConfig: setConfig() shows a configuration, config() reads back what the widgets show
// (settings the panel does not edit come from the last setConfig()). The plain settings go through their rows
// (config_panel_settings.cpp); the workload, grid, device, dtype, baseline, variants and phases are mapped here.
#include "config_panel.h"

#include "config_panel_parts.h"
#include "sweep_axis_editor.h"

#include <QCheckBox>
#include <QComboBox>

#include <algorithm>

namespace compilescope {

namespace {

void selectData(QComboBox* combo, const QString& data)
{
    const int index = combo->findData(data);
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace

bool offersPhase(const std::vector<Workload>& workloads, Phase phase)
{
    return std::any_of(workloads.begin(), workloads.end(), [&](Workload workload) {
        const auto phases = phases_of(workload);
        return std::find(phases.begin(), phases.end(), phase) != phases.end();
    });
}

Device ConfigPanel::chosenDevice() const
{
    return parse_device(m_device->currentData().toString().toStdString()).value_or(Device::cpu);
}

void ConfigPanel::setConfig(const SweepConfig& config)
{
    m_updating = true;
    m_configured = true;
    m_base = config;

    const bool attention = hasWorkload(config.workloads, Workload::attention);
    const bool model = hasWorkload(config.workloads, Workload::transformer_lm);
    selectData(m_workload,
        attention && model ? QStringLiteral("both")
            : model        ? QStringLiteral("transformer_lm")
                           : QStringLiteral("attention"));

    m_d_models->setValues(config.attention.d_models);
    m_seq_lens->setValues(config.attention.seq_lens);
    for (const SettingWidget& setting : std::as_const(m_settings))
        setting.show(config);

    const QString device = qs(to_string(config.device));
    if (m_device->findData(device) < 0)
        m_device->addItem(
            m_capabilities ? tr("%1 (unavailable)").arg(device.toUpper()) : tr("%1 (checking…)").arg(device.toUpper()),
            device);
    selectData(m_device, device);
    selectData(m_dtype, qs(to_string(config.dtype)));
    selectData(m_speedup_baseline, qs(config.speedup_baseline));
    rebuildVariantBoxes(config.variants);
    for (auto it = m_phase_boxes.begin(); it != m_phase_boxes.end(); ++it) {
        it.value()->setChecked(config.phases.empty()
            || std::find(config.phases.begin(), config.phases.end(), it.key()) != config.phases.end());
    }
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
    for (const SettingWidget& setting : m_settings)
        setting.read(config);

    config.device = chosenDevice();
    config.dtype = parse_dtype(m_dtype->currentData().toString().toStdString()).value_or(Dtype::fp32);
    config.speedup_baseline = m_speedup_baseline->currentData().toString().toStdString();
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
    bool all_phases = true;
    for (auto it = m_phase_boxes.begin(); it != m_phase_boxes.end(); ++it) {
        if (!offersPhase(config.workloads, it.key()))
            continue;
        if (it.value()->isChecked())
            config.phases.push_back(it.key());
        else
            all_phases = false;
    }
    if (all_phases)
        config.phases.clear();

    config.measure.flush_l2 = config.measure.flush_l2 && config.device == Device::cuda; // greyed out elsewhere
    config.preset = m_preset->currentData().toString().toStdString();
    return config;
}

} // namespace compilescope
