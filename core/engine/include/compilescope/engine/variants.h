// Which compilation paths exist, and whether the linked LibTorch and device can run them.
#pragma once

#include "compilescope/engine/engine_only.h"
#include "compilescope/types.h"
#include "compilescope/validation.h"
#include "compilescope/variant_info.h"

#include <vector>

namespace compilescope {

/// Every known variant with its availability on `device`, eager first.
std::vector<VariantInfo> list_variants(Device device);

/// Every SDPA backend on `device`, in sdpa_backend_names() order (asks LibTorch with a small tensor).
std::vector<SdpaBackendSupport> sdpa_backend_support(Device device);

/// Whether LibTorch was built with CUDA and sees at least one device.
bool cuda_available();

/// What this machine offers a sweep (validation.h): every registered variant and cuda_available().
MachineOffer machine_offer();

} // namespace compilescope
