// The workloads as TorchScript (the torchscript variant, and the CUDA graph variant that captures it), and
// whether TorchScript's NNC fuser can fuse on the CPU in this LibTorch, found by probing once.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "engine/phase_program.h"

#include <functional>
#include <string>
#include <vector>

namespace compilescope::engine {

struct CpuFusionSupport {
    bool fuses = false;
    std::string detail; ///< what the probe saw
};

/// Probes once per process (a tiny elementwise chain run single-threaded with CPU fusion enabled) and leaves CPU
/// fusion enabled only if it works: in a LibTorch without LLVM, enabled CPU fusion throws "LLVM Backend not found".
const CpuFusionSupport& torchscript_cpu_fusion();

struct TorchScriptMath {
    WorkloadMath math;
    /// Calls before the profiling executor has optimized both the forward and the backward graph.
    int min_warmup_iters = 0;
    /// Runs `work` (calls of `math`) with the optimized graphs recorded, then says which fusion groups formed.
    std::function<std::vector<std::string>(const std::function<void()>& work)> inspect;
};

/// The math of workloads.h compiled by torch::jit::compile, NNC enabled: attention as the hand-written softmax, or
/// with fused_sdpa through aten::scaled_dot_product_attention; with capturable, the embedding through index_select
/// (see embedding_by_index_select). `inputs` must outlive the result.
TorchScriptMath torchscript_math(const PhaseInputs& inputs, bool fused_sdpa, bool capturable);

} // namespace compilescope::engine
