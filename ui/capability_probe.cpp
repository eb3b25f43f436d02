#include "capability_probe.h"

#include "machine.h"

namespace compilescope {

void CapabilityProbe::probe()
{
    Q_EMIT capabilitiesReady(machine().capabilities());
}

} // namespace compilescope
