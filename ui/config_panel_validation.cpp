// Validation as the panel shows it: the problems listed at the top (the core's validate_config, plus the grid's
// own parse errors and the phases), the fields they are about tinted, and the estimate of what Run will cost.
#include "config_panel.h"

#include "compilescope/validation.h"
#include "config_panel_parts.h"
#include "machine.h"
#include "run_estimate.h"
#include "sweep_axis_editor.h"
#include "theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>

#include <algorithm>

namespace compilescope {

namespace {

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

QPalette errorTextPalette(QPalette palette)
{
    palette.setColor(QPalette::WindowText, errorColor(palette));
    return palette;
}

} // namespace

QLabel* ConfigPanel::buildValidationLabel()
{
    m_validation_label = new QLabel(this);
    m_validation_label->setObjectName(QStringLiteral("validationMessage"));
    m_validation_label->setWordWrap(true);
    m_validation_label->setTextFormat(Qt::PlainText);
    m_validation_label->setFrameShape(QFrame::StyledPanel);
    m_validation_label->setMargin(6);
    m_validation_label->setPalette(errorTextPalette(m_validation_label->palette()));
    return m_validation_label;
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
        const bool attention = hasWorkload(current.workloads, Workload::attention);
        std::vector<ConfigError> attention_errors;
        if (attention) {
            SweepConfig attention_only = current;
            attention_only.workloads = { Workload::attention };
            attention_errors = machine().validate(attention_only);
        }
        const std::vector<ConfigError> errors = machine().validate(current);
        // On a device this machine lacks every variant box is greyed out, so "needs at least one variant" would only
        // repeat the device's error, and above it (a run opened from a GPU server on a laptop).
        const bool device_missing = std::any_of(
            errors.begin(), errors.end(), [](const ConfigError& error) { return error.field == "device"; });
        for (const ConfigError& error : errors) {
            if (device_missing && error.field == "variants")
                continue;
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
    // A plain setting's widget; d_model, seq_len and batch are the grid's or the model's.
    const PanelGroup part = attention ? PanelGroup::attention : PanelGroup::model;
    for (const SettingWidget& setting : m_settings) {
        if (setting.field == field && (!namesBothParts(field) || setting.group == part))
            return setting.widget;
    }
    const QMap<QString, QWidget*> hand_built {
        { QStringLiteral("workload"), m_workload },
        { QStringLiteral("variants"), m_variants },
        { QStringLiteral("speedup_baseline"), m_speedup_baseline },
        { QStringLiteral("phases"), m_phases },
        { QStringLiteral("device"), m_device },
        { QStringLiteral("dtype"), m_dtype },
    };
    return hand_built.value(qs(field));
}

void ConfigPanel::markInvalidFields(const QList<QWidget*>& fields)
{
    for (QWidget* field : std::as_const(m_invalid_fields)) {
        if (!fields.contains(field))
            field->setPalette(QPalette()); // inherit the panel's again
    }
    for (QWidget* field : fields) {
        // The input's background and the text of check boxes turn to the error colour, light and dark themes alike.
        QPalette marked = errorTextPalette(palette());
        const QColor error = errorColor(marked);
        const QColor base = marked.color(QPalette::Base);
        marked.setColor(QPalette::Base,
            QColor::fromRgbF((base.redF() * 3 + error.redF()) / 4, (base.greenF() * 3 + error.greenF()) / 4,
                (base.blueF() * 3 + error.blueF()) / 4));
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
    m_estimate_label->setPalette(needsConfirmation(estimate) ? errorTextPalette(palette()) : QPalette());
}

} // namespace compilescope
