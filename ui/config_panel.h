// The sweep configuration as widgets: workload and preset, the attention grid, the model, device, dtype,
// variants and phases, timing. Validates inline (the core's validate_config) so Run is only offered when valid.
#pragma once

#include "capabilities.h"
#include "compilescope/config.h"

#include <QMap>
#include <QString>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QVBoxLayout;

namespace compilescope {

class SweepAxisEditor;

class ConfigPanel : public QWidget {
    Q_OBJECT
public:
    explicit ConfigPanel(QWidget* parent = nullptr);

    /// Devices and variants to offer; until this is called, Run stays disabled.
    void setCapabilities(const Capabilities& capabilities);
    bool hasCapabilities() const { return m_capabilities.has_value(); }

    void setConfig(const SweepConfig& config);
    /// The configuration the widgets show; settings the panel does not edit come from the last setConfig().
    SweepConfig config() const;

    bool isValid() const { return m_valid; }
    /// Why the configuration cannot run, one problem per line; empty when valid.
    QString validationMessage() const { return m_message; }

    /// Ticks every variant the device can run (a first launch, `--variants all`); needs the capabilities.
    void checkAvailableVariants();
    /// Ticks exactly these variants (those the device can run).
    void checkVariants(const std::vector<std::string>& names);

    SweepAxisEditor* dModelEditor() const { return m_d_models; }
    SweepAxisEditor* seqLenEditor() const { return m_seq_lens; }

Q_SIGNALS:
    void configChanged();
    void validityChanged(bool valid, const QString& message);

private:
    QGroupBox* buildWorkloadGroup();
    QGroupBox* buildAttentionGroup();
    QGroupBox* buildModelGroup();
    QGroupBox* buildExecutionGroup();
    QGroupBox* buildTimingGroup();
    QSpinBox* addSpinBox(QGroupBox* group, const QString& object_name, const QString& label, int minimum, int maximum);

    void onEdited();
    void onPresetChosen(int index);
    void onDeviceChanged();
    void rebuildVariantBoxes(const std::vector<std::string>& checked);
    /// The preset the configuration matches, or the one it was loaded with while grid and model are unedited.
    std::string startingPreset(const SweepConfig& current) const;
    void updatePresetCombo();
    void updateEnabledGroups();
    void revalidate();

    std::optional<Capabilities> m_capabilities;
    SweepConfig m_base;
    bool m_updating = false;
    bool m_configured = false; ///< setConfig() was called from outside (saved settings, a script, a loaded run)
    bool m_valid = false;
    QString m_message;

    QComboBox* m_workload = nullptr;
    QComboBox* m_preset = nullptr;
    QGroupBox* m_attention_group = nullptr;
    SweepAxisEditor* m_d_models = nullptr;
    SweepAxisEditor* m_seq_lens = nullptr;
    QSpinBox* m_attention_batch = nullptr;
    QCheckBox* m_causal = nullptr;
    QGroupBox* m_model_group = nullptr;
    QMap<QString, QSpinBox*> m_model_fields;
    QDoubleSpinBox* m_rope_theta = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_dtype = nullptr;
    QComboBox* m_sdpa_backend = nullptr;
    QComboBox* m_speedup_baseline = nullptr;
    QLineEdit* m_python = nullptr;
    QComboBox* m_python_adamw = nullptr;
    QLineEdit* m_aoti_cache = nullptr;
    QSpinBox* m_aoti_jobs = nullptr;
    QVBoxLayout* m_variants_layout = nullptr;
    QMap<QString, QCheckBox*> m_variant_boxes;
    QMap<Phase, QCheckBox*> m_phase_boxes;
    QSpinBox* m_warmup = nullptr;
    QSpinBox* m_iterations = nullptr;
    QDoubleSpinBox* m_min_time = nullptr;
    QCheckBox* m_flush_l2 = nullptr;
    QCheckBox* m_profile = nullptr;
    QSpinBox* m_threads = nullptr;
    QLabel* m_validation_label = nullptr;
};

} // namespace compilescope
