// Colours derived from the system palette, so light and dark themes both read well.
#pragma once

#include <QColor>
#include <QPalette>

namespace compilescope {

/// Whether the palette's background is dark (a dark theme).
bool isDark(const QPalette& palette);
/// A red that reads on the palette's background, for errors and failed measurements.
QColor errorColor(const QPalette& palette);
/// The i-th colour of a categorical palette (Tableau 10) chosen to read on light and dark backgrounds.
QColor seriesColor(int index);
/// Black or white, whichever reads better on `background`.
QColor textColorOn(const QColor& background);
/// A light palette (white background, black text) for charts exported into documents, whatever the app's theme.
QPalette documentPalette();

} // namespace compilescope
