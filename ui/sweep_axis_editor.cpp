#include "sweep_axis_editor.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace compilescope {

SweepAxisEditor::SweepAxisEditor(const QString& name, int min_exponent, int max_exponent, QWidget* parent)
    : QWidget(parent)
    , m_name(name)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_value_label(new QLabel(this))
    , m_add_button(new QToolButton(this))
    , m_list(new QLineEdit(this))
{
    m_slider->setRange(min_exponent, max_exponent);
    m_slider->setPageStep(1);
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setTickInterval(1);
    m_slider->setAccessibleName(name);
    m_slider->setToolTip(
        tr("%1: a power of two from %2 to %3").arg(name).arg(1LL << min_exponent).arg(1LL << max_exponent));

    // Wide enough for the largest value, so the slider does not jump as the label changes.
    m_value_label->setMinimumWidth(
        m_value_label->fontMetrics().horizontalAdvance(QString::number(1LL << max_exponent)) + 4);
    m_value_label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_add_button->setText(QStringLiteral("+"));
    m_add_button->setToolTip(tr("Add the slider's value to the %1 list").arg(name));

    m_list->setPlaceholderText(tr("e.g. 16,32,64,128"));
    m_list->setToolTip(tr("The %1 values to sweep, comma-separated").arg(name));
    m_list->setAccessibleName(tr("%1 list").arg(name));

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_slider, 0, 0);
    layout->addWidget(m_value_label, 0, 1);
    layout->addWidget(m_add_button, 0, 2);
    layout->addWidget(m_list, 1, 0, 1, 3);

    connect(m_slider, &QSlider::valueChanged, this, &SweepAxisEditor::showSliderValue);
    connect(m_list, &QLineEdit::textEdited, this, &SweepAxisEditor::onListEdited);
    connect(m_add_button, &QToolButton::clicked, this, &SweepAxisEditor::addSliderValue);
    // Ctrl+Z takes back a + from wherever the focus is in the editor (the + button keeps it after a click); the list
    // field answers it itself when it has the focus.
    auto* undo = new QShortcut(QKeySequence::Undo, this);
    undo->setContext(Qt::WidgetWithChildrenShortcut);
    connect(undo, &QShortcut::activated, this, [this] {
        m_list->undo();
        onListEdited();
    });
    showSliderValue();
}

int64_t SweepAxisEditor::snapToPowerOfTwo(int64_t value, int64_t minimum, int64_t maximum)
{
    if (value <= minimum)
        return minimum;
    if (value >= maximum)
        return maximum;
    const int exponent = static_cast<int>(std::lround(std::log2(static_cast<double>(value))));
    return std::clamp<int64_t>(int64_t { 1 } << exponent, minimum, maximum);
}

std::optional<std::vector<int64_t>> SweepAxisEditor::parseList(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    std::vector<int64_t> values;
    for (const QString& part : text.split(separators, Qt::SkipEmptyParts)) {
        bool ok = false;
        const qlonglong value = part.toLongLong(&ok);
        if (!ok || value <= 0)
            return std::nullopt;
        values.push_back(value);
    }
    return values;
}

QString SweepAxisEditor::formatList(const std::vector<int64_t>& values)
{
    QStringList parts;
    for (int64_t value : values)
        parts << QString::number(value);
    return parts.join(QLatin1Char(','));
}

void SweepAxisEditor::setSliderValue(int64_t value)
{
    const int64_t snapped
        = snapToPowerOfTwo(value, int64_t { 1 } << m_slider->minimum(), int64_t { 1 } << m_slider->maximum());
    const QSignalBlocker blocker(m_slider);
    m_slider->setValue(static_cast<int>(std::lround(std::log2(static_cast<double>(snapped)))));
    showSliderValue();
}

int64_t SweepAxisEditor::sliderValue() const
{
    return int64_t { 1 } << m_slider->value();
}

void SweepAxisEditor::setValues(const std::vector<int64_t>& values)
{
    m_list->setText(formatList(values));
    if (!values.empty())
        setSliderValue(values.back());
}

QString SweepAxisEditor::listText() const
{
    return m_list->text();
}

QString SweepAxisEditor::errorText() const
{
    if (values())
        return {};
    return tr("%1 list: expected positive integers separated by commas (got \"%2\")").arg(m_name, listText());
}

void SweepAxisEditor::onListEdited()
{
    if (const auto parsed = values(); parsed && !parsed->empty())
        setSliderValue(parsed->back());
    Q_EMIT changed();
}

void SweepAxisEditor::addSliderValue()
{
    std::vector<int64_t> list = values().value_or(std::vector<int64_t> {});
    const int64_t value = sliderValue();
    if (std::find(list.begin(), list.end(), value) == list.end()) {
        list.push_back(value);
        std::sort(list.begin(), list.end());
    }
    // Replaced through an edit, not setText(), so the list's own undo (Ctrl+Z) takes the addition back; blocked, so
    // that the slider stays at the point just added rather than following the list's last value.
    {
        const QSignalBlocker blocker(m_list);
        m_list->selectAll();
        m_list->insert(formatList(list));
    }
    Q_EMIT changed();
}

void SweepAxisEditor::showSliderValue()
{
    m_value_label->setText(QString::number(sliderValue()));
}

} // namespace compilescope
