#include "engine/cost_model.h"

namespace compilescope::engine {

int64_t element_size(Dtype dtype)
{
    return dtype == Dtype::bf16 || dtype == Dtype::fp16 ? 2 : 4;
}

int64_t parameter_count(const ModelConfig& model)
{
    const int64_t d = model.d_model;
    const int64_t per_layer = 4 * d * d + 3 * d * model.d_ff + 2 * d;
    return 2 * model.vocab_size * d + model.num_layers * per_layer + d;
}

namespace {

double attention_flops(double batch, double seq_len, double d_model, Phase phase)
{
    // Q K^T and P V: two (S x d) by (d x S)-sized products per batch element; backward needs twice as many.
    const double forward = 4.0 * batch * seq_len * seq_len * d_model;
    switch (phase) {
    case Phase::forward:
        return forward;
    case Phase::backward:
        return 2.0 * forward;
    case Phase::forward_backward:
        return 3.0 * forward;
    case Phase::train_step:
        break;
    }
    return 0;
}

double model_forward_flops(const ModelConfig& model)
{
    const double tokens = double(model.batch) * double(model.seq_len);
    const double d = double(model.d_model);
    const double matmul_params
        = double(model.num_layers) * (4.0 * d * d + 3.0 * d * double(model.d_ff)) + double(model.vocab_size) * d;
    const double attention
        = double(model.num_layers) * attention_flops(double(model.batch), double(model.seq_len), d, Phase::forward);
    return 2.0 * matmul_params * tokens + attention;
}

int64_t attention_memory(const Cell& cell, Phase phase)
{
    const int64_t e = element_size(cell.dtype);
    const int64_t bsd = cell.batch * cell.seq_len * cell.d_model * e;
    const int64_t bss = cell.batch * cell.seq_len * cell.seq_len * e;
    const int64_t mask = cell.causal ? cell.seq_len * cell.seq_len + bss : 0;
    // Forward: Q, K, V, the output and two score-sized buffers alive at once (scores and their softmax).
    // Backward: the softmax kept for autograd plus up to three score-sized gradients, and gradients of Q, K, V.
    if (phase == Phase::forward) {
        return 4 * bsd + 2 * bss + mask;
    }
    return 11 * bsd + 4 * bss + mask;
}

int64_t model_memory(const ModelConfig& model, Dtype dtype, Phase phase)
{
    const int64_t e = element_size(dtype);
    const int64_t params = parameter_count(model) * e;
    const int64_t b = model.batch;
    const int64_t s = model.seq_len;
    const int64_t scores = b * model.num_heads * s * s * e;
    const int64_t bsd = b * s * model.d_model * e;
    const int64_t bsf = b * s * model.d_ff * e;
    const int64_t logits = b * s * model.vocab_size * e;
    if (phase == Phase::forward) {
        // Parameters, one block's transient activations, and the logits twice (result and eager reference).
        return params + 2 * scores + 3 * bsf + 8 * bsd + 2 * logits;
    }
    // Shared initial parameters, the variant's copy, its gradients, AdamW's two moments, and the eager reference
    // (gradients and updated parameters); activations saved for backward in every block; logits, their fp32
    // log-softmax and its gradient; one extra score-sized buffer at the peak of backward.
    const int64_t saved_per_layer = 2 * scores + 4 * bsf + 16 * bsd;
    const int64_t loss = b * s * model.vocab_size * (e + 2 * 4);
    return 7 * params + model.num_layers * saved_per_layer + logits + loss + 2 * scores;
}

} // namespace

double estimated_flops(const Cell& cell, Phase phase)
{
    if (cell.workload == Workload::attention) {
        return attention_flops(double(cell.batch), double(cell.seq_len), double(cell.d_model), phase);
    }
    const double forward = model_forward_flops(cell.model);
    return phase == Phase::train_step ? 3.0 * forward : forward;
}

double estimated_bytes(const Cell& cell, Phase phase)
{
    const double e = double(element_size(cell.dtype));
    if (cell.workload == Workload::attention) {
        const double bsd = double(cell.batch) * double(cell.seq_len) * double(cell.d_model) * e;
        const double mask = cell.causal ? double(cell.seq_len) * double(cell.seq_len) : 0; // bool, read once
        // Forward: Q, K, V in, the output out. Backward: Q, K, V, the output and its gradient in (a fused backward
        // needs the output), three gradients out. Both: Q, K, V and the output's gradient in, four tensors out.
        return (phase == Phase::forward ? 4.0 : 8.0) * bsd + mask;
    }
    const ModelConfig& model = cell.model;
    const double parameters = double(parameter_count(model)) * e;
    const double tokens = double(model.batch) * double(model.seq_len);
    if (phase == Phase::forward) {
        // Parameters and token ids (int64) in, logits out.
        return parameters + 8.0 * tokens + tokens * double(model.vocab_size) * e;
    }
    // Parameters read by forward and again by backward, gradients written, and AdamW reading parameter, gradient
    // and both moments and writing parameter and moments; token ids and targets in. The loss is a scalar.
    return (3.0 + 7.0) * parameters + 16.0 * tokens;
}

int64_t estimated_memory_bytes(const Cell& cell, Phase phase)
{
    if (cell.workload == Workload::attention) {
        return attention_memory(cell, phase);
    }
    return model_memory(cell.model, cell.dtype, phase);
}

} // namespace compilescope::engine
