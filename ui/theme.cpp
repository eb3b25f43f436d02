#include "theme.h"

#include <array>

namespace compilescope {

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor errorColor(const QPalette& palette)
{
    return isDark(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xb3, 0x26, 0x1e);
}

QColor seriesColor(int index)
{
    static constexpr std::array<QRgb, 10> tableau10 { 0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0x76b7b2, 0xedc948,
        0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac };
    return QColor::fromRgb(tableau10[static_cast<size_t>(index) % tableau10.size()]);
}

QColor textColorOn(const QColor& background)
{
    const double luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.45 ? Qt::black : Qt::white;
}

QPalette documentPalette()
{
    // Qt derives the other roles (text, mid, dark...) from the one colour, as a light style would.
    return QPalette(QColor(Qt::white));
}

} // namespace compilescope
