// The Help menu's texts: the About box, what each variant is, how to read the charts. Rich text for QMessageBox.
#pragma once

#include "compilescope/environment.h"
#include "compilescope/variant_info.h"

#include <QString>

#include <vector>

namespace compilescope {

/// Versions of CompileScope, LibTorch (`environment`, nullptr while LibTorch is still being asked) and Qt, where the
/// documentation is, and the licences.
QString aboutText(const Environment* environment);

/// One line per variant the device knows, with why it cannot run here when it cannot.
QString variantGuideText(const std::vector<VariantInfo>& variants);

/// What the Latency, Speedup, Heatmap and Roofline tabs plot.
QString chartGuideText();

/// The folder holding README.md and docs/ (the source tree a build ran from), or "" when there is none above the
/// executable (an installed package).
QString documentationRoot();

} // namespace compilescope
