#include "capability_probe.h"

namespace compilescope {

void CapabilityProbe::probe()
{
    Q_EMIT capabilitiesReady(Capabilities::query());
}

} // namespace compilescope
