// Estimates of the work and memory of one (cell, phase): FLOPs weight the ETA and appear in reports; the memory
// estimate decides whether a cell is attempted at all. A model file's cells have none (0): the module is the
// user's, so no roofline, no memory guard, and the time-left estimate learns from its first measurements.
#pragma once

#include "cell.h"

#include <cstdint>
#include <string>
#include <vector>

namespace compilescope::engine {

/// Bytes of one element: 4 for fp32/tf32, 2 for bf16/fp16.
int64_t element_size(Dtype dtype);

/// Parameters of the TransformerLM (embedding, blocks, final norm, LM head).
int64_t parameter_count(const ModelConfig& model);

/// Floating-point operations of one iteration of the phase (matrix multiplications; elementwise work ignored).
double estimated_flops(const Cell& cell, Phase phase);

/// The least memory traffic of one iteration of the phase (docs/roofline.md): every input read once and every
/// output written once, as a perfectly fused program would; intermediates (attention scores, activations) are free.
/// With estimated_flops, the intensity of the roofline.
double estimated_bytes(const Cell& cell, Phase phase);

/// Operators one eager iteration of the phase dispatches (views and casts included, as each costs a dispatch): the
/// floor of an iteration's time where every operator is tiny, and the size of the graph a compiler traces. Counted
/// from core/src/engine/workloads.cpp: attention's forward is a transpose, two matmuls, a scale, a softmax (and the
/// causal mask); a TransformerLM block about 70 (two RMSNorms of 8, seven projections with their views, RoPE on Q
/// and K, attention, SwiGLU, two residuals); a backward about twice its forward; AdamW nine per parameter tensor.
double estimated_operators(const Cell& cell, Phase phase);

/// The C++ programs of a phase alive at once while they are timed in turns: the C++ variants among `variants` (the
/// Python ones run later, in a child process), at least 1.
int live_cpp_programs(const std::vector<std::string>& variants);

/// Bytes the sweep needs to run the phase with `cpp_programs` C++ variants alive at once: inputs, the eager
/// reference kept for the correctness check, what each program keeps between iterations (its outputs, gradients,
/// parameter copy and AdamW state), and the peak of one iteration (autograd's saved tensors, the gradients being
/// made, the fp32 loss). Calibrated against LibTorch's CPU allocation peaks (docs/memory-estimate.md): at least the
/// measured peak, within about twice it.
int64_t estimated_memory_bytes(const Cell& cell, Phase phase, int cpp_programs = 1);

} // namespace compilescope::engine
