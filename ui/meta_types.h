// The value types the sweep's events carry to the GUI thread in queued signals.
#pragma once

#include "capabilities.h"
#include "compilescope/results.h"
#include "compilescope/sweep_events.h"

#include <QMetaType>

Q_DECLARE_METATYPE(compilescope::SweepConfig)
Q_DECLARE_METATYPE(compilescope::SweepProgress)
Q_DECLARE_METATYPE(compilescope::Measurement)
Q_DECLARE_METATYPE(compilescope::RunResult)
Q_DECLARE_METATYPE(compilescope::Capabilities)

namespace compilescope {

/// Registers the payload types of queued connections; call once before the first connection is made.
void registerMetaTypes();

} // namespace compilescope
