#include "capabilities.h"

namespace compilescope {

Capabilities Capabilities::query()
{
    Capabilities capabilities;
    capabilities.environment = collect_environment();
    capabilities.cuda = cuda_available();
    capabilities.cpu_variants = list_variants(Device::cpu);
    if (capabilities.cuda)
        capabilities.cuda_variants = list_variants(Device::cuda);
    return capabilities;
}

} // namespace compilescope
