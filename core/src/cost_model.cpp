#include "cost_model.h"

#include "compilescope/variant_names.h"

#include <algorithm>

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

/// Bytes per element of the correctness check's working set on the largest result tensor: eager's and the
/// variant's values in double, their difference, its masked copy and absolute value (five doubles alive at once,
/// core/src/engine/correctness.cpp), and two finiteness masks. Measured: the check, not the iteration, is the peak
/// of a model's forward (16 logits-sized fp32 buffers at vocab 10,000).
constexpr double check_bytes_per_element = 5 * 8 + 2;

/// Attention with `programs` C++ programs. Persistent: Q, K, V, grad_out, eager's reference results and each
/// program's output. Then one iteration at a time: the scores and their softmax (forward), or the softmax kept for
/// autograd and up to three score-sized gradients (backward); the causal mask is a bool matrix. Fitted to the
/// measured peaks exactly in fp32 (docs/memory-estimate.md): 8 + n, 8 + n and 9 + n (B, S, D) tensors.
double attention_memory(const Cell& cell, Phase phase, double programs)
{
    const double e = double(element_size(cell.dtype));
    const double bsd_elements = double(cell.batch) * double(cell.seq_len) * double(cell.d_model);
    const double bsd = bsd_elements * e;
    const double bss = double(cell.batch) * double(cell.seq_len) * double(cell.seq_len) * e;
    const double mask = cell.causal ? double(cell.seq_len) * double(cell.seq_len) : 0;
    const double persistent = (phase == Phase::forward ? 5 : phase == Phase::backward ? 8 : 9) * bsd + programs * bsd;
    const double iteration = (phase == Phase::forward ? 2 : 4) * bss + mask;
    const double check = bsd + bsd_elements * check_bytes_per_element; // the variant's copy, then the comparison
    return persistent + std::max(iteration, check);
}

/// The TransformerLM with `programs` C++ programs, in the element size of `dtype`.
double model_memory(const ModelConfig& model, Dtype dtype, Phase phase, double programs)
{
    const double e = double(element_size(dtype));
    const double params = double(parameter_count(model)) * e;
    const double b = double(model.batch);
    const double s = double(model.seq_len);
    const double scores = b * double(model.num_heads) * s * s * e;
    const double bsd = b * s * double(model.d_model) * e;
    const double bsf = b * s * double(model.d_ff) * e;
    const double logit_elements = b * s * double(model.vocab_size);
    const double logits = logit_elements * e;
    if (phase == Phase::forward) {
        // Persistent: the parameters, eager's logits and each program's. Then the larger of one block's transient
        // activations and the check of the logits (the variant's copy and the comparison's doubles).
        const double iteration = 2 * scores + 3 * bsf + 8 * bsd;
        const double check = logits + logit_elements * check_bytes_per_element;
        return params + (1 + programs) * logits + std::max(iteration, check);
    }
    // Persistent: the initial parameters, eager's reference (gradients and updated parameters), and for each program
    // its parameter copy, gradients and AdamW's two moments. Then the larger of one iteration (activations saved for
    // backward in every block, the logits, their fp32 log-softmax and its gradient, a score-sized buffer at the peak
    // of backward) and the check (the variant's gradients and updated parameters copied, eager's AdamW replayed on
    // copies, the comparison of the largest tensor: an embedding or the LM head).
    const double saved_per_layer = 2 * scores + 4 * bsf + 16 * bsd;
    const double iteration
        = double(model.num_layers) * saved_per_layer + logits + logit_elements * (e + 2 * 4) + 2 * scores;
    const double largest_elements = double(model.vocab_size) * double(model.d_model);
    const double check = 2 * params + 5 * params + largest_elements * check_bytes_per_element;
    return params * (3 + 4 * programs) + std::max(iteration, check);
}

/// Bytes as int64, saturated: a size whose estimate overflows int64 (--batch 4611686018427387904) is too large for
/// any device, not negative.
int64_t saturated_bytes(double bytes)
{
    constexpr double most = 9.2e18; // below INT64_MAX, exactly representable as a double's range allows
    return bytes >= most ? int64_t(most) : int64_t(bytes);
}

} // namespace

double estimated_flops(const Cell& cell, Phase phase)
{
    if (cell.workload == Workload::model_file)
        return 0; // the user's module: nothing here knows its cost
    if (cell.workload == Workload::attention) {
        return attention_flops(double(cell.batch), double(cell.seq_len), double(cell.d_model), phase);
    }
    const double forward = model_forward_flops(cell.model);
    return phase == Phase::train_step ? 3.0 * forward : forward;
}

double estimated_bytes(const Cell& cell, Phase phase)
{
    if (cell.workload == Workload::model_file)
        return 0; // the user's module: nothing here knows its cost
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

double estimated_operators(const Cell& cell, Phase phase)
{
    if (cell.workload == Workload::model_file)
        return 0; // the user's module: nothing here knows its cost
    if (cell.workload == Workload::attention) {
        const double forward = cell.causal ? 6 : 5;
        switch (phase) {
        case Phase::forward:
            return forward;
        case Phase::backward:
            return 2 * forward + 2; // and the three input gradients reset
        case Phase::forward_backward:
        case Phase::train_step:
            break;
        }
        return 3 * forward + 2;
    }
    const double layers = double(cell.model.num_layers);
    const double forward = 70 * layers + 18; // embedding, final norm, LM head, cross-entropy: 18
    if (phase == Phase::forward) {
        return forward;
    }
    const double parameter_tensors = 9 * layers + 3;
    return 3 * forward + 9 * parameter_tensors;
}

int live_cpp_programs(const std::vector<std::string>& variants)
{
    const auto python = std::count_if(variants.begin(), variants.end(), is_python_variant);
    return std::max(1, int(variants.size()) - int(python));
}

int64_t estimated_memory_bytes(const Cell& cell, Phase phase, int cpp_programs)
{
    if (cell.workload == Workload::model_file)
        return 0; // the user's module: nothing here knows its cost
    const double programs = double(std::max(1, cpp_programs));
    const bool attention = cell.workload == Workload::attention;
    double bytes
        = attention ? attention_memory(cell, phase, programs) : model_memory(cell.model, cell.dtype, phase, programs);
    if (cell.dtype == Dtype::bf16 || cell.dtype == Dtype::fp16) {
        // A low-precision check beyond tolerance compares eager with an fp32 run of the phase (inputs upcast, one
        // eager program, its results), made while every program is alive.
        Cell fp32 = cell;
        fp32.dtype = Dtype::fp32;
        bytes += attention ? attention_memory(fp32, phase, 1) : model_memory(cell.model, Dtype::fp32, phase, 1);
    }
    // LibTorch's small allocations (TorchScript's constants, the index tensors, the loss scalars) and the allocator's
    // rounding: measured peaks sit up to 0.5 MiB above the fitted terms at the smallest cells.
    return saturated_bytes(1.2 * bytes + 1024.0 * 1024.0);
}

} // namespace compilescope::engine
