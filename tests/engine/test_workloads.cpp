#include "cost_model.h"
#include "engine/phase_program.h"
#include "engine/workloads.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using namespace compilescope;
using namespace compilescope::engine;

namespace {

/// softmax(Q K^T / sqrt(d)) V by explicit loops in double.
torch::Tensor loop_attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, bool causal)
{
    const torch::Tensor qd = q.to(torch::kDouble), kd = k.to(torch::kDouble), vd = v.to(torch::kDouble);
    const auto qa = qd.accessor<double, 3>();
    const auto ka = kd.accessor<double, 3>();
    const auto va = vd.accessor<double, 3>();
    const int64_t batch = q.size(0), seq_len = q.size(1), d = q.size(2);
    torch::Tensor out = torch::zeros({ batch, seq_len, d }, torch::kDouble);
    auto oa = out.accessor<double, 3>();
    for (int64_t b = 0; b < batch; ++b) {
        for (int64_t i = 0; i < seq_len; ++i) {
            std::vector<double> weights(seq_len, 0.0);
            double max_score = -std::numeric_limits<double>::infinity();
            for (int64_t j = 0; j < seq_len; ++j) {
                double score = 0;
                for (int64_t c = 0; c < d; ++c) {
                    score += qa[b][i][c] * ka[b][j][c];
                }
                weights[j] = causal && j > i ? -std::numeric_limits<double>::infinity() : score / std::sqrt(double(d));
                max_score = std::max(max_score, weights[j]);
            }
            double total = 0;
            for (double& w : weights) {
                w = std::exp(w - max_score);
                total += w;
            }
            for (int64_t j = 0; j < seq_len; ++j) {
                for (int64_t c = 0; c < d; ++c) {
                    oa[b][i][c] += weights[j] / total * va[b][j][c];
                }
            }
        }
    }
    return out;
}

Cell attention_cell(int64_t d_model, int64_t seq_len, bool causal)
{
    Cell cell;
    cell.workload = Workload::attention;
    cell.batch = 2;
    cell.d_model = d_model;
    cell.seq_len = seq_len;
    cell.causal = causal;
    cell.seed = 7;
    return cell;
}

ModelConfig tiny_model()
{
    ModelConfig model;
    model.vocab_size = 50;
    model.context_length = 16;
    model.d_model = 16;
    model.num_layers = 2;
    model.num_heads = 2;
    model.d_ff = 32;
    model.batch = 4;
    model.seq_len = 8;
    return model;
}

Cell model_cell(const ModelConfig& model)
{
    Cell cell;
    cell.workload = Workload::transformer_lm;
    cell.model = model;
    cell.batch = model.batch;
    cell.d_model = model.d_model;
    cell.seq_len = model.seq_len;
    cell.seed = 3;
    return cell;
}

WorkloadMath eager_math()
{
    return workload_math(ModelKernels {});
}

} // namespace

TEST_CASE("attention matches a naive loop reference", "[engine][workloads]")
{
    for (bool causal : { false, true }) {
        const PhaseInputs inputs = make_phase_inputs(attention_cell(4, 5, causal), Phase::forward);
        const torch::Tensor expected = loop_attention(inputs.q, inputs.k, inputs.v, causal);
        const torch::Tensor actual = attention_forward(inputs.q, inputs.k, inputs.v, inputs.future_mask, inputs.scale);
        INFO("causal " << causal);
        CHECK(torch::allclose(actual.to(torch::kDouble), expected, 1e-5, 1e-6));
    }
}

TEST_CASE("causal attention: future keys and values do not change past outputs", "[engine][workloads]")
{
    const PhaseInputs inputs = make_phase_inputs(attention_cell(8, 12, true), Phase::forward);
    const torch::Tensor before = attention_forward(inputs.q, inputs.k, inputs.v, inputs.future_mask, inputs.scale);
    const int64_t cut = 7;
    torch::Tensor k = inputs.k.clone();
    torch::Tensor v = inputs.v.clone();
    k.slice(1, cut).normal_();
    v.slice(1, cut).mul_(10.0);
    const torch::Tensor after = attention_forward(inputs.q, k, v, inputs.future_mask, inputs.scale);
    CHECK(torch::equal(before.slice(1, 0, cut), after.slice(1, 0, cut)));
    CHECK_FALSE(torch::allclose(before.slice(1, cut), after.slice(1, cut)));
}

TEST_CASE("TransformerLM: future tokens do not change past logits", "[engine][workloads]")
{
    const PhaseInputs inputs = make_phase_inputs(model_cell(tiny_model()), Phase::forward);
    torch::NoGradGuard no_grad;
    const torch::Tensor before = model_logits(inputs.parameters.tensors, inputs);
    PhaseInputs changed = inputs;
    const int64_t cut = 5;
    changed.tokens = inputs.tokens.clone();
    changed.tokens.slice(1, cut).add_(1).remainder_(inputs.cell.model.vocab_size);
    const torch::Tensor after = model_logits(inputs.parameters.tensors, changed);
    CHECK(torch::allclose(before.slice(1, 0, cut), after.slice(1, 0, cut), 1e-5, 1e-6));
    CHECK_FALSE(torch::allclose(before.slice(1, cut), after.slice(1, cut)));
}

TEST_CASE("TransformerLM: parameters follow the CS336 layout and initialisation", "[engine][workloads]")
{
    const ModelConfig model = tiny_model();
    const PhaseInputs inputs = make_phase_inputs(model_cell(model), Phase::forward);
    const ModelParameters& parameters = inputs.parameters;
    REQUIRE(parameters.tensors.size() == size_t(3 + parameters_per_block * model.num_layers));
    int64_t count = 0;
    for (const torch::Tensor& tensor : parameters.tensors) {
        count += tensor.numel();
    }
    CHECK(count == parameter_count(model));
    CHECK(parameters.names.front() == "token_embeddings.weight");
    CHECK(parameters.names[2] == "layers.0.attn.q_proj.weight");
    CHECK(parameters.names.back() == "lm_head.weight");
    const torch::Tensor w1 = parameters.tensors[7];
    CHECK(parameters.names[7] == "layers.0.ffn.w1.weight");
    CHECK(w1.sizes() == torch::IntArrayRef({ model.d_ff, model.d_model }));
    const double std = std::sqrt(2.0 / double(model.d_ff + model.d_model));
    CHECK(w1.abs().max().item<double>() <= 3.0 * std + 1e-6);
    CHECK(parameters.tensors[0].abs().max().item<double>() <= 3.0 + 1e-6);
    CHECK(torch::equal(parameters.tensors[1], torch::ones({ model.d_model })));
}

TEST_CASE("TransformerLM: loss decreases over a few AdamW steps on a fixed batch", "[engine][workloads]")
{
    const PhaseInputs inputs = make_phase_inputs(model_cell(tiny_model()), Phase::train_step);
    const PhaseProgram program = build_phase_program(inputs, eager_math());
    std::vector<double> losses;
    for (int step = 0; step < 30; ++step) {
        program.step();
        losses.push_back(program.results().front().tensor.item<double>());
    }
    INFO("first loss " << losses.front() << ", last " << losses.back());
    CHECK(std::isfinite(losses.front()));
    CHECK(losses.back() < 0.9 * losses.front());
    for (size_t i = 1; i < losses.size(); ++i) {
        CHECK(losses[i] < losses[i - 1]);
    }
}

TEST_CASE("train step programs restart from the initial parameters", "[engine][workloads]")
{
    const PhaseInputs inputs = make_phase_inputs(model_cell(tiny_model()), Phase::train_step);
    const PhaseProgram program = build_phase_program(inputs, eager_math());
    program.step();
    const double first = program.results().front().tensor.item<double>();
    program.step();
    program.reset();
    program.step();
    CHECK(program.results().front().tensor.item<double>() == first);
}

TEST_CASE("cost model: FLOPs and memory grow with the cell", "[engine][workloads]")
{
    const Cell small = attention_cell(64, 1024, false);
    Cell large = small;
    large.seq_len = 2048;
    CHECK(estimated_flops(small, Phase::forward) == Approx(4.0 * 2 * 1024 * 1024 * 64));
    CHECK(estimated_flops(small, Phase::backward) == Approx(2 * estimated_flops(small, Phase::forward)));
    CHECK(estimated_memory_bytes(large, Phase::forward) > 3 * estimated_memory_bytes(small, Phase::forward));
    CHECK(estimated_memory_bytes(small, Phase::forward_backward) > estimated_memory_bytes(small, Phase::forward));
    const Cell model = model_cell(tiny_model());
    CHECK(estimated_flops(model, Phase::train_step) == Approx(3 * estimated_flops(model, Phase::forward)));
    CHECK(estimated_memory_bytes(model, Phase::train_step) > 7 * parameter_count(tiny_model()) * 4);
}

TEST_CASE("the index_select embedding gives torch::embedding's rows and gradient", "[engine][workloads]")
{
    torch::manual_seed(5);
    const torch::Tensor weight = torch::randn({ 11, 4 }).requires_grad_(true);
    const torch::Tensor tokens = torch::randint(0, 11, { 3, 7 }, torch::kLong);
    const torch::Tensor upstream = torch::randn({ 3, 7, 4 });
    const torch::Tensor expected = embedding_lookup(weight, tokens);
    const torch::Tensor expected_grad = torch::autograd::grad({ expected }, { weight }, { upstream })[0];
    const torch::Tensor actual = embedding_by_index_select(weight, tokens);
    const torch::Tensor actual_grad = torch::autograd::grad({ actual }, { weight }, { upstream })[0];
    CHECK(actual.sizes() == expected.sizes());
    CHECK(torch::equal(actual, expected));
    CHECK(torch::allclose(actual_grad, expected_grad, 1e-6, 1e-6));
}
