// Estimates of the work and memory of one (cell, phase): FLOPs weight the ETA and appear in reports; the memory
// estimate decides whether a cell is attempted at all.
#pragma once

#include "engine/cell.h"

#include <cstdint>

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

/// Bytes the sweep needs to run the phase: inputs, parameters and optimizer state, the largest activations, and the
/// eager reference kept for the correctness check. An estimate, meant to be pessimistic rather than tight.
int64_t estimated_memory_bytes(const Cell& cell, Phase phase);

} // namespace compilescope::engine
