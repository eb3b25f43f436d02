// The two workloads in plain ATen (the eager math every variant is checked against) and the seeded data they
// run on.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "cell.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace compilescope::engine {

torch::ScalarType scalar_type(Dtype dtype);
torch::Device torch_device(Device device);

/// TransformerLM parameters in a fixed order (see init_model_parameters), named as a CS336 state dict.
struct ModelParameters {
    std::vector<std::string> names;
    std::vector<torch::Tensor> tensors;
};

/// Parameters per block, in order: ln1, q_proj, k_proj, v_proj, output_proj, ln2, w1, w2, w3.
constexpr int64_t parameters_per_block = 9;

/// CS336 initialisation: linear weights (out, in) truncated normal with std sqrt(2 / (in + out)) cut at 3 std,
/// embedding std 1 cut at 3, RMSNorm gains 1. Layout: embedding, blocks, final norm gain, LM head.
/// Draws from LibTorch's global generator (seed it first); created in fp32, then cast.
ModelParameters init_model_parameters(const ModelConfig& model, const torch::TensorOptions& options);

/// The data every variant of one (cell, phase) runs on, built once so that all of them see the same tensors.
struct PhaseInputs {
    Cell cell;
    Phase phase = Phase::forward;
    /// Attention: (batch, seq_len, d_model); leaves that require grad for backward phases.
    torch::Tensor q, k, v;
    /// Attention backward phases: the fixed upstream gradient of the output.
    torch::Tensor grad_out;
    /// (seq_len, seq_len) bool, true above the diagonal; undefined for non-causal attention.
    torch::Tensor future_mask;
    /// 1 / sqrt(head dimension), computed once in double so every variant scales by the same number.
    double scale = 1.0;
    /// Model: initial parameters (never modified; train steps work on copies).
    ModelParameters parameters;
    /// Model: (batch, seq_len) token ids and their next tokens.
    torch::Tensor tokens, targets;
    /// Model: RoPE tables (seq_len, head_dim / 2).
    torch::Tensor rope_cos, rope_sin;
};

/// Seeds LibTorch's generator with cell.seed and builds the inputs of the phase on the cell's device and dtype. A
/// model file's cell has none here (only cell and phase): its file builds them in the Python child.
PhaseInputs make_phase_inputs(const Cell& cell, Phase phase);

/// The same inputs' names, shapes and dtypes without their data (tensors on the meta device): what an AOTInductor
/// package's cache key needs, in no time and no memory, for the estimate before Run.
PhaseInputs make_phase_shapes(const Cell& cell, Phase phase);

/// The same inputs cast to fp32 (values unchanged: every bf16/fp16 value is exact in fp32), for a reference run.
PhaseInputs upcast_to_fp32(const PhaseInputs& inputs);

/// softmax(Q K^T * scale) V, with positions where future_mask is true set to -inf first (mask may be undefined).
torch::Tensor attention_forward(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& future_mask, double scale);

/// weight[tokens] through torch::embedding, as CS336 does.
torch::Tensor embedding_lookup(const torch::Tensor& weight, const torch::Tensor& tokens);

/// The same rows through index_select, whose backward (index_add_) never waits on the host: CUDA's embedding
/// backward copies a count to the host above 3072 tokens, which CUDA graph capture forbids.
torch::Tensor embedding_by_index_select(const torch::Tensor& weight, const torch::Tensor& tokens);

/// The parts of the TransformerLM a variant may swap for an equivalent kernel.
struct ModelKernels {
    torch::Tensor (*attention)(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
        const torch::Tensor& future_mask, double scale)
        = attention_forward;
    torch::Tensor (*embedding)(const torch::Tensor& weight, const torch::Tensor& tokens) = embedding_lookup;
};

/// Logits (batch, seq_len, vocab) of the TransformerLM for the given parameters (layout of init_model_parameters).
torch::Tensor model_logits(
    const std::vector<torch::Tensor>& parameters, const PhaseInputs& inputs, const ModelKernels& kernels = {});

/// Mean cross-entropy of the next-token predictions (computed in fp32).
torch::Tensor model_loss(
    const std::vector<torch::Tensor>& parameters, const PhaseInputs& inputs, const ModelKernels& kernels = {});

} // namespace compilescope::engine
