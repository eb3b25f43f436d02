// Which compilation paths exist, and whether the linked LibTorch and device can run them.
#pragma once

#include "compilescope/types.h"
#include "compilescope/validation.h"
#include "compilescope/variant_names.h"

#include <string>
#include <vector>

namespace compilescope {

struct VariantInfo {
    std::string name; ///< "eager", "torchscript", ...
    std::string description; ///< one line: what this variant does
    bool available = false;
    std::string reason; ///< why it is unavailable, or a caveat when available (e.g. "no CPU fusion: ...")
    VariantTraits traits; ///< what it is (Python, TorchScript, fused SDPA, CUDA graph, AOTInductor)
};

/// Every known variant with its availability on `device`, eager first.
std::vector<VariantInfo> list_variants(Device device);

/// What one --sdpa-backend does on a device, for fp32 attention with a backward pass.
struct SdpaBackendSupport {
    SdpaBackend backend = SdpaBackend::auto_select;
    bool available = false;
    std::string kernel; ///< the kernel LibTorch picks when available ("flash_attention", "math", ...)
    std::string reason; ///< LibTorch's reason when not
};

/// Every SDPA backend on `device`, in sdpa_backend_names() order (asks LibTorch with a small tensor).
std::vector<SdpaBackendSupport> sdpa_backend_support(Device device);

/// Whether LibTorch was built with CUDA and sees at least one device.
bool cuda_available();

/// What this machine offers a sweep (validation.h): every registered variant and cuda_available().
MachineOffer machine_offer();

} // namespace compilescope
