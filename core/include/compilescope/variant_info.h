// What a variant and an SDPA backend are on a device, as the engine finds them (compilescope/engine/variants.h)
// and `list`, the run file and the UI show them.
#pragma once

#include "compilescope/types.h"
#include "compilescope/variant_names.h"

#include <string>

namespace compilescope {

struct VariantInfo {
    std::string name; ///< "eager", "torchscript", ...
    std::string description; ///< one line: what this variant does
    bool available = false;
    std::string reason; ///< why it is unavailable, or a caveat when available (e.g. "no CPU fusion: ...")
    VariantTraits traits; ///< what it is (Python, TorchScript, fused SDPA, CUDA graph, AOTInductor)
};

/// What one --sdpa-backend does on a device, for fp32 attention with a backward pass.
struct SdpaBackendSupport {
    SdpaBackend backend = SdpaBackend::auto_select;
    bool available = false;
    std::string kernel; ///< the kernel LibTorch picks when available ("flash_attention", "math", ...)
    std::string reason; ///< LibTorch's reason when not
};

} // namespace compilescope
