#include "engine/workloads.h"

#include <cmath>
#include <limits>

namespace compilescope::engine {

torch::ScalarType scalar_type(Dtype dtype)
{
    switch (dtype) {
    case Dtype::bf16:
        return torch::kBFloat16;
    case Dtype::fp16:
        return torch::kHalf;
    case Dtype::fp32:
    case Dtype::tf32:
        break;
    }
    return torch::kFloat;
}

torch::Device torch_device(Device device)
{
    return device == Device::cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
}

namespace {

/// Normal(0, std) truncated to [-3 std, 3 std] by inverse-CDF sampling, as torch.nn.init.trunc_normal_ does.
torch::Tensor truncated_normal(torch::IntArrayRef shape, double std, const torch::TensorOptions& options)
{
    const double cdf_low = 0.5 * (1.0 + std::erf(-3.0 / std::sqrt(2.0)));
    const double cdf_high = 0.5 * (1.0 + std::erf(3.0 / std::sqrt(2.0)));
    torch::Tensor tensor = torch::empty(shape, options.dtype(torch::kFloat));
    tensor.uniform_(2.0 * cdf_low - 1.0, 2.0 * cdf_high - 1.0).erfinv_().mul_(std * std::sqrt(2.0));
    return tensor.clamp_(-3.0 * std, 3.0 * std).to(options.dtype());
}

torch::Tensor linear_weight(int64_t out_features, int64_t in_features, const torch::TensorOptions& options)
{
    return truncated_normal(
        { out_features, in_features }, std::sqrt(2.0 / double(in_features + out_features)), options);
}

torch::Tensor linear_no_bias(const torch::Tensor& x, const torch::Tensor& weight)
{
    return torch::matmul(x, weight.t());
}

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& gain)
{
    // Upcast as CS336 does, so bf16/fp16 runs square and average in fp32.
    const torch::Tensor xf = x.to(torch::kFloat);
    const torch::Tensor normalized = xf * torch::rsqrt(xf.pow(2).mean({ -1 }, true) + 1e-5);
    return normalized.to(x.scalar_type()) * gain;
}

/// Rotates adjacent pairs (2i, 2i+1) of the last dimension of x (batch, heads, seq, head_dim).
torch::Tensor rope(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin)
{
    const torch::Tensor even = x.slice(-1, 0, c10::nullopt, 2);
    const torch::Tensor odd = x.slice(-1, 1, c10::nullopt, 2);
    return torch::stack({ even * cos - odd * sin, even * sin + odd * cos }, -1).flatten(-2);
}

torch::Tensor multi_head_attention(const torch::Tensor& x, const std::vector<torch::Tensor>& p, size_t first,
    const PhaseInputs& inputs, const ModelKernels& kernels)
{
    const int64_t batch = x.size(0);
    const int64_t seq_len = x.size(1);
    const int64_t d_model = x.size(2);
    const int64_t heads = inputs.cell.model.num_heads;
    const int64_t head_dim = d_model / heads;
    auto project = [&](const torch::Tensor& weight) {
        return linear_no_bias(x, weight).view({ batch, seq_len, heads, head_dim }).transpose(1, 2);
    };
    const torch::Tensor q = rope(project(p[first]), inputs.rope_cos, inputs.rope_sin);
    const torch::Tensor k = rope(project(p[first + 1]), inputs.rope_cos, inputs.rope_sin);
    const torch::Tensor v = project(p[first + 2]);
    const torch::Tensor heads_out = kernels.attention(q, k, v, inputs.future_mask, inputs.scale);
    return linear_no_bias(heads_out.transpose(1, 2).reshape({ batch, seq_len, d_model }), p[first + 3]);
}

torch::Tensor swiglu(const torch::Tensor& x, const torch::Tensor& w1, const torch::Tensor& w2, const torch::Tensor& w3)
{
    return linear_no_bias(torch::silu(linear_no_bias(x, w1)) * linear_no_bias(x, w3), w2);
}

torch::Tensor cross_entropy(const torch::Tensor& logits, const torch::Tensor& targets)
{
    const torch::Tensor log_probs = torch::log_softmax(logits.to(torch::kFloat), -1);
    return -log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1).mean();
}

void make_attention_inputs(PhaseInputs& inputs, const torch::TensorOptions& options)
{
    const Cell& cell = inputs.cell;
    const bool needs_grad = inputs.phase != Phase::forward;
    auto random = [&]() {
        return torch::randn({ cell.batch, cell.seq_len, cell.d_model }, options.dtype(torch::kFloat))
            .to(options.dtype());
    };
    inputs.q = random().requires_grad_(needs_grad);
    inputs.k = random().requires_grad_(needs_grad);
    inputs.v = random().requires_grad_(needs_grad);
    if (needs_grad) {
        inputs.grad_out = random();
    }
    inputs.scale = 1.0 / std::sqrt(double(cell.d_model));
}

void make_model_inputs(PhaseInputs& inputs, const torch::TensorOptions& options)
{
    const ModelConfig& model = inputs.cell.model;
    inputs.parameters = init_model_parameters(model, options);
    const torch::Tensor ids
        = torch::randint(0, model.vocab_size, { model.batch, model.seq_len + 1 }, options.dtype(torch::kLong));
    inputs.tokens = ids.slice(1, 0, model.seq_len).contiguous();
    inputs.targets = ids.slice(1, 1, model.seq_len + 1).contiguous();

    const int64_t head_dim = model.d_model / model.num_heads;
    inputs.scale = 1.0 / std::sqrt(double(head_dim));
    // Angles in double on the CPU: position i, pair j turns by i * theta^(-2j / head_dim).
    const torch::Tensor positions = torch::arange(model.seq_len, torch::kDouble).unsqueeze(1);
    const torch::Tensor pairs = torch::arange(0, head_dim, 2, torch::kDouble);
    const torch::Tensor angles = positions * torch::pow(model.rope_theta, -pairs / double(head_dim));
    inputs.rope_cos = angles.cos().to(options.device(), options.dtype().toScalarType());
    inputs.rope_sin = angles.sin().to(options.device(), options.dtype().toScalarType());
}

} // namespace

ModelParameters init_model_parameters(const ModelConfig& model, const torch::TensorOptions& options)
{
    ModelParameters parameters;
    auto add = [&parameters](std::string name, torch::Tensor tensor) {
        parameters.names.push_back(std::move(name));
        parameters.tensors.push_back(std::move(tensor));
    };
    const int64_t d = model.d_model;
    add("token_embeddings.weight", truncated_normal({ model.vocab_size, d }, 1.0, options));
    for (int64_t layer = 0; layer < model.num_layers; ++layer) {
        const std::string prefix = "layers." + std::to_string(layer) + ".";
        add(prefix + "ln1.weight", torch::ones({ d }, options));
        add(prefix + "attn.q_proj.weight", linear_weight(d, d, options));
        add(prefix + "attn.k_proj.weight", linear_weight(d, d, options));
        add(prefix + "attn.v_proj.weight", linear_weight(d, d, options));
        add(prefix + "attn.output_proj.weight", linear_weight(d, d, options));
        add(prefix + "ln2.weight", torch::ones({ d }, options));
        add(prefix + "ffn.w1.weight", linear_weight(model.d_ff, d, options));
        add(prefix + "ffn.w2.weight", linear_weight(d, model.d_ff, options));
        add(prefix + "ffn.w3.weight", linear_weight(model.d_ff, d, options));
    }
    add("ln_final.weight", torch::ones({ d }, options));
    add("lm_head.weight", linear_weight(model.vocab_size, d, options));
    return parameters;
}

namespace {

PhaseInputs make_inputs_on(const Cell& cell, Phase phase, const torch::Device& device)
{
    PhaseInputs inputs;
    inputs.cell = cell;
    inputs.phase = phase;
    if (cell.workload == Workload::model_file)
        return inputs; // the file builds its module and inputs itself, in the Python child
    const torch::TensorOptions options = torch::TensorOptions().device(device).dtype(scalar_type(cell.dtype));
    const bool causal = cell.workload == Workload::transformer_lm || cell.causal;
    if (causal) {
        inputs.future_mask = torch::ones({ cell.seq_len, cell.seq_len }, options.dtype(torch::kBool)).triu(1);
    }
    if (cell.workload == Workload::attention) {
        make_attention_inputs(inputs, options);
    } else {
        make_model_inputs(inputs, options);
    }
    return inputs;
}

} // namespace

PhaseInputs make_phase_inputs(const Cell& cell, Phase phase)
{
    torch::manual_seed(cell.seed);
    return make_inputs_on(cell, phase, torch_device(cell.device));
}

PhaseInputs make_phase_shapes(const Cell& cell, Phase phase)
{
    return make_inputs_on(cell, phase, torch::Device(torch::kMeta));
}

PhaseInputs upcast_to_fp32(const PhaseInputs& inputs)
{
    PhaseInputs upcast = inputs;
    upcast.cell.dtype = Dtype::fp32;
    auto to_fp32 = [](const torch::Tensor& tensor) {
        return tensor.defined() ? tensor.detach().to(torch::kFloat).requires_grad_(tensor.requires_grad()) : tensor;
    };
    for (torch::Tensor* tensor :
        { &upcast.q, &upcast.k, &upcast.v, &upcast.grad_out, &upcast.rope_cos, &upcast.rope_sin }) {
        *tensor = to_fp32(*tensor);
    }
    for (torch::Tensor& parameter : upcast.parameters.tensors) {
        parameter = to_fp32(parameter);
    }
    return upcast;
}

torch::Tensor attention_forward(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
    const torch::Tensor& future_mask, double scale)
{
    torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) * scale;
    if (future_mask.defined()) {
        scores = scores.masked_fill(future_mask, -std::numeric_limits<double>::infinity());
    }
    return torch::matmul(torch::softmax(scores, -1), v);
}

torch::Tensor embedding_lookup(const torch::Tensor& weight, const torch::Tensor& tokens)
{
    return torch::embedding(weight, tokens);
}

torch::Tensor embedding_by_index_select(const torch::Tensor& weight, const torch::Tensor& tokens)
{
    std::vector<int64_t> shape = tokens.sizes().vec();
    shape.push_back(weight.size(1));
    return weight.index_select(0, tokens.reshape({ -1 })).view(shape);
}

torch::Tensor model_logits(const std::vector<torch::Tensor>& p, const PhaseInputs& inputs, const ModelKernels& kernels)
{
    torch::Tensor x = kernels.embedding(p[0], inputs.tokens);
    const size_t layers = (p.size() - 3) / parameters_per_block;
    for (size_t layer = 0; layer < layers; ++layer) {
        const size_t first = 1 + parameters_per_block * layer;
        x = x + multi_head_attention(rms_norm(x, p[first]), p, first + 1, inputs, kernels);
        x = x + swiglu(rms_norm(x, p[first + 5]), p[first + 6], p[first + 7], p[first + 8]);
    }
    return linear_no_bias(rms_norm(x, p[p.size() - 2]), p[p.size() - 1]);
}

torch::Tensor model_loss(
    const std::vector<torch::Tensor>& parameters, const PhaseInputs& inputs, const ModelKernels& kernels)
{
    return cross_entropy(model_logits(parameters, inputs, kernels), inputs.targets);
}

} // namespace compilescope::engine
