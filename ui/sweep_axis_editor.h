// One swept dimension (d_model, seq_len): a power-of-two slider that picks a point, with its value shown, and an
// editable list ("16,32,64,128") for the grid. Moving the slider leaves the list alone; "+" adds the point to it,
// undoably (Ctrl+Z in the list).
#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

class QLabel;
class QLineEdit;
class QSlider;
class QToolButton;

namespace compilescope {

class SweepAxisEditor : public QWidget {
    Q_OBJECT
public:
    /// The slider covers 2^min_exponent ... 2^max_exponent.
    SweepAxisEditor(const QString& name, int min_exponent, int max_exponent, QWidget* parent = nullptr);

    /// The power of two nearest to `value` on a log scale, clamped to [minimum, maximum].
    static int64_t snapToPowerOfTwo(int64_t value, int64_t minimum, int64_t maximum);
    /// Comma- or space-separated positive integers; nullopt if anything else is in the text.
    static std::optional<std::vector<int64_t>> parseList(const QString& text);
    static QString formatList(const std::vector<int64_t>& values);

    /// Moves the slider to the power of two nearest `value` (the list is left alone).
    void setSliderValue(int64_t value);
    int64_t sliderValue() const;

    void setValues(const std::vector<int64_t>& values);
    /// The list as typed; nullopt while it does not parse.
    std::optional<std::vector<int64_t>> values() const { return parseList(listText()); }
    QString listText() const;
    /// "d_model list: ..." while the list does not parse, else empty.
    QString errorText() const;

    QSlider* slider() const { return m_slider; }
    QLineEdit* listEdit() const { return m_list; }

Q_SIGNALS:
    void changed();

private:
    void onListEdited();
    void addSliderValue();
    void showSliderValue();

    QString m_name;
    QSlider* m_slider;
    QLabel* m_value_label;
    QToolButton* m_add_button;
    QLineEdit* m_list;
};

} // namespace compilescope
