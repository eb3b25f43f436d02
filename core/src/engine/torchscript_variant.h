// Whether TorchScript's NNC fuser can fuse on the CPU in this LibTorch, found by probing once.
#pragma once

#include <string>

namespace compilescope::engine {

struct CpuFusionSupport {
    bool fuses = false;
    std::string detail; ///< what the probe saw
};

/// Probes once per process (a tiny elementwise chain run single-threaded with CPU fusion enabled) and leaves CPU
/// fusion enabled only if it works: in a LibTorch without LLVM, enabled CPU fusion throws "LLVM Backend not found".
const CpuFusionSupport& torchscript_cpu_fusion();

} // namespace compilescope::engine
