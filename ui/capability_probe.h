// Lives on a thread of its own: asks LibTorch which devices and variants this machine has (slow the first time),
// and reports back through a queued signal.
#pragma once

#include "meta_types.h"

#include <QObject>

namespace compilescope {

class CapabilityProbe : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Queries devices, variants and the environment, then emits capabilitiesReady.
    void probe();

Q_SIGNALS:
    void capabilitiesReady(const compilescope::Capabilities& capabilities);
};

} // namespace compilescope
