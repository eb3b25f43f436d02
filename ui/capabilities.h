// What the linked LibTorch and this machine offer, queried once and cached for the widgets.
#pragma once

#include "compilescope/environment.h"
#include "compilescope/types.h"
#include "compilescope/variants.h"

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

    /// Asks the core (which may initialise LibTorch and CUDA: call it off the GUI thread).
    static Capabilities query();
};

} // namespace compilescope
