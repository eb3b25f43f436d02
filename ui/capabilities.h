// What the linked LibTorch and this machine offer (Machine::capabilities()), queried once and kept by the widgets.
#pragma once

#include "compilescope/environment.h"
#include "compilescope/types.h"
#include "compilescope/variant_info.h"

#include <vector>

namespace compilescope {

struct Capabilities {
    Environment environment;
    bool cuda = false;
    std::vector<VariantInfo> cpu_variants;
    std::vector<VariantInfo> cuda_variants;

    const std::vector<VariantInfo>& variants(Device device) const
    {
        return device == Device::cuda ? cuda_variants : cpu_variants;
    }
};

} // namespace compilescope
