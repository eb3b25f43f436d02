// The plain settings' widgets, made from their rows in compilescope/settings.h: a check box for a switch, a spin box
// for an integer or a number, a combo box of an enum's names, a line edit for a path. setConfig() and config() copy
// each through its row, and validation marks the widget of the field an error names.
#include "config_panel.h"

#include "compilescope/settings.h"
#include "config_panel_parts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>
#include <climits>
#include <type_traits>

namespace compilescope {

namespace {

QString label(const char* text)
{
    return QCoreApplication::translate("ConfigPanel", text);
}

int clampedInt(int64_t value)
{
    return static_cast<int>(std::clamp<int64_t>(value, INT_MIN, INT_MAX));
}

/// The widget's object name: the part it belongs to and the field ("model.d_model", "timing.warmup", "aoti_jobs").
template <typename Owner> QString settingObjectName(const char* field)
{
    QString name = QLatin1String(field);
    if constexpr (std::is_same_v<Owner, AttentionConfig>)
        return QStringLiteral("attention.") + name;
    else if constexpr (std::is_same_v<Owner, ModelConfig>)
        return QStringLiteral("model.") + name;
    else if constexpr (std::is_same_v<Owner, MeasureConfig>)
        return QStringLiteral("timing.") + name;
    else
        return name;
}

} // namespace

void ConfigPanel::addSettingRows(QGroupBox* group, PanelGroup panel_group)
{
    auto* form = static_cast<QFormLayout*>(group->layout());
    for_each_setting([&](const auto& setting) {
        using Row = std::decay_t<decltype(setting)>;
        using T = typename Row::value_type;
        const PanelRow& row = setting.panel;
        if (row.group != panel_group)
            return;
        SettingWidget entry;
        if constexpr (std::is_same_v<T, bool>) {
            auto* box = new QCheckBox(label(row.label), group);
            form->addRow(QString(), box);
            connect(box, &QCheckBox::toggled, this, &ConfigPanel::onEdited);
            entry.widget = box;
            entry.show = [box, setting](const SweepConfig& config) { box->setChecked(value_in(config, setting)); };
            entry.read = [box, setting](SweepConfig& config) { value_in(config, setting) = box->isChecked(); };
        } else if constexpr (std::is_integral_v<T>) {
            auto* spin = new QSpinBox(group);
            spin->setRange(
                clampedInt(setting.limits.min.value_or(INT_MIN)), clampedInt(setting.limits.max.value_or(INT_MAX)));
            spin->setAccelerated(true);
            if (*row.zero_means != '\0')
                spin->setSpecialValueText(label(row.zero_means));
            form->addRow(label(row.label), spin);
            connect(spin, &QSpinBox::valueChanged, this, &ConfigPanel::onEdited);
            entry.widget = spin;
            entry.show = [spin, setting](const SweepConfig& config) {
                spin->setValue(clampedInt(static_cast<int64_t>(value_in(config, setting))));
            };
            entry.read
                = [spin, setting](SweepConfig& config) { value_in(config, setting) = static_cast<T>(spin->value()); };
        } else if constexpr (std::is_floating_point_v<T>) {
            auto* spin = new QDoubleSpinBox(group);
            spin->setRange(row.min, row.max);
            spin->setDecimals(row.decimals);
            spin->setSuffix(QLatin1String(row.suffix));
            form->addRow(label(row.label), spin);
            connect(spin, &QDoubleSpinBox::valueChanged, this, &ConfigPanel::onEdited);
            entry.widget = spin;
            entry.show = [spin, setting](const SweepConfig& config) { spin->setValue(value_in(config, setting)); };
            entry.read = [spin, setting](SweepConfig& config) { value_in(config, setting) = spin->value(); };
        } else if constexpr (std::is_enum_v<T>) {
            auto* combo = new QComboBox(group);
            for (const std::string& name : EnumNames<T>::names())
                combo->addItem(qs(name), qs(name));
            form->addRow(label(row.label), combo);
            connect(combo, &QComboBox::currentIndexChanged, this, &ConfigPanel::onEdited);
            entry.widget = combo;
            entry.show = [combo, setting](const SweepConfig& config) {
                combo->setCurrentIndex(std::max(0, combo->findData(qs(to_string(value_in(config, setting))))));
            };
            entry.read = [combo, setting](SweepConfig& config) {
                if (const auto value = EnumNames<T>::parse(combo->currentData().toString().toStdString()))
                    value_in(config, setting) = *value;
            };
        } else if constexpr (std::is_same_v<T, std::string>) {
            auto* edit = new QLineEdit(group);
            form->addRow(label(row.label), edit);
            connect(edit, &QLineEdit::textEdited, this, &ConfigPanel::onEdited);
            entry.widget = edit;
            entry.show = [edit, setting](const SweepConfig& config) { edit->setText(qs(value_in(config, setting))); };
            entry.read = [edit, setting](
                             SweepConfig& config) { value_in(config, setting) = edit->text().trimmed().toStdString(); };
        }
        if (!entry.widget)
            return; // a row the panel cannot show plainly (a list): none is marked so
        entry.widget->setObjectName(settingObjectName<typename Row::owner_type>(setting.field));
        setFieldToolTip(form, entry.widget, QString::fromUtf8(setting.help));
        entry.field = setting.field;
        entry.group = row.group;
        entry.only_with = setting.only_with;
        m_settings.append(entry);
    });
}

QWidget* ConfigPanel::settingWidget(const QString& object_name) const
{
    for (const SettingWidget& entry : m_settings) {
        if (entry.widget->objectName() == object_name)
            return entry.widget;
    }
    return nullptr;
}

} // namespace compilescope
