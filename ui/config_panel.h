// The sweep configuration as widgets: workload, preset and the Quick switch, the attention grid, the model, device,
// dtype, variants and phases, timing. Validates inline (the core's validate_config) so Run is only offered when
// valid: problems are listed at the top and their fields marked. Shows what the sweep will cost (run_estimate.h).
#pragma once

#include "capabilities.h"
#include "compilescope/config.h"
#include "compilescope/settings.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QWidget>

#include <functional>
#include <optional>
#include <string>

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
    /// The fields the validation message is about (marked in the panel).
    QList<QWidget*> invalidFields() const { return m_invalid_fields; }

    /// Ticks every variant the device can run (a first launch, `--variants all`); needs the capabilities.
    void checkAvailableVariants();
    /// Ticks exactly these variants (those the device can run).
    void checkVariants(const std::vector<std::string>& names);

    SweepAxisEditor* dModelEditor() const { return m_d_models; }
    SweepAxisEditor* seqLenEditor() const { return m_seq_lens; }

Q_SIGNALS:
    void configChanged();
    void validityChanged(bool valid, const QString& message);

protected:
    /// Spin boxes, combo boxes and sliders take the wheel only when focused; otherwise it scrolls the panel.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // The group boxes, one file each: config_panel_workload.cpp, _sizes.cpp (attention and model), _execution.cpp,
    // _timing.cpp.
    QGroupBox* buildWorkloadGroup();
    QGroupBox* buildAttentionGroup();
    QGroupBox* buildModelGroup();
    QGroupBox* buildExecutionGroup();
    QGroupBox* buildTimingGroup();

    /// A plain setting's widget, made from its row (config_panel_settings.cpp).
    struct SettingWidget {
        QWidget* widget = nullptr;
        std::function<void(const SweepConfig&)> show;
        std::function<void(SweepConfig&)> read;
        std::string field; ///< the field validation errors name
        PanelGroup group = PanelGroup::none;
        bool VariantTraits::*only_with = nullptr; ///< greyed out without a variant of this trait
    };
    /// A widget for every setting settings.h shows in `panel_group`, in the rows' order.
    void addSettingRows(QGroupBox* group, PanelGroup panel_group);
    /// A plain setting's widget by its object name ("timing.flush_l2", "aoti_jobs").
    QWidget* settingWidget(const QString& object_name) const;

    // Reactions to edits (config_panel.cpp).
    void onEdited();
    void onPresetChosen(int index);
    void onQuickToggled(bool quick);
    /// The preset the configuration matches, or the one it was loaded with while grid and model are unedited.
    std::string startingPreset(const SweepConfig& current) const;
    void updatePresetCombo();
    void updateEnabledGroups();

    // The variant boxes (config_panel_variants.cpp).
    void onDeviceChanged();
    void rebuildVariantBoxes(const std::vector<std::string>& checked);

    /// The device combo box's choice (config_panel_mapping.cpp).
    Device chosenDevice() const;

    // Validation (config_panel_validation.cpp).
    /// The problems at the top of the panel, where they are seen whatever field they are in.
    QLabel* buildValidationLabel();
    void revalidate();
    /// The widget that edits a validated field; `attention` picks the grid's d_model, seq_len and batch.
    QWidget* fieldWidget(const std::string& field, bool attention) const;
    void markInvalidFields(const QList<QWidget*>& fields);
    /// The cost of Run under the Quick switch (about how long, and what that includes; red when Run will ask first).
    void showEstimate(bool valid);

    std::optional<Capabilities> m_capabilities;
    SweepConfig m_base;
    bool m_updating = false;
    bool m_configured = false; ///< setConfig() was called from outside (saved settings, a script, a loaded run)
    bool m_valid = false;
    QString m_message;
    QList<QWidget*> m_invalid_fields;
    std::optional<SweepConfig> m_before_quick; ///< what Quick replaced, for unticking it

    QComboBox* m_workload = nullptr;
    QComboBox* m_preset = nullptr;
    QCheckBox* m_quick = nullptr;
    QLabel* m_estimate_label = nullptr;
    QGroupBox* m_attention_group = nullptr;
    SweepAxisEditor* m_d_models = nullptr;
    SweepAxisEditor* m_seq_lens = nullptr;
    QGroupBox* m_model_group = nullptr;
    QComboBox* m_device = nullptr;
    QComboBox* m_dtype = nullptr;
    QComboBox* m_speedup_baseline = nullptr;
    QVBoxLayout* m_variants_layout = nullptr;
    QMap<QString, QCheckBox*> m_variant_boxes;
    QWidget* m_variants = nullptr;
    QMap<Phase, QCheckBox*> m_phase_boxes;
    QWidget* m_phases = nullptr;
    QLabel* m_validation_label = nullptr;
    QList<SettingWidget> m_settings;
};

} // namespace compilescope
