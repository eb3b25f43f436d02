#include "engine/phase_program.h"

#include "engine/adamw.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace compilescope::engine {

const char* const eager_optimizer_note
    = "optimizer: AdamW (lr 1e-3, betas 0.9/0.95, weight decay 0.01) as torch.optim.AdamW runs it by default, "
      "multi-tensor (foreach) ops, the same in eager and in this variant";

const char* const grad_prefix = "grad ";
const char* const updated_prefix = "updated ";

namespace {

std::unique_ptr<ForeachAdamW> make_optimizer(const std::vector<torch::Tensor>& parameters)
{
    return std::make_unique<ForeachAdamW>(parameters);
}

torch::Tensor copy_of(const torch::Tensor& tensor)
{
    return tensor.detach().clone();
}

void clear_grads(std::initializer_list<torch::Tensor> leaves)
{
    for (torch::Tensor leaf : leaves) {
        leaf.mutable_grad().reset();
    }
}

PhaseProgram attention_program(const PhaseInputs& inputs, const WorkloadMath& math)
{
    PhaseProgram program;
    auto output = std::make_shared<torch::Tensor>();
    const torch::Tensor q = inputs.q;
    const torch::Tensor k = inputs.k;
    const torch::Tensor v = inputs.v;
    const torch::Tensor grad_out = inputs.grad_out;
    auto forward = [math, &inputs, output] { *output = math.attention(inputs); };
    auto grads = [q, k, v] {
        return std::vector<NamedTensor> { { "grad_q", copy_of(q.grad()) }, { "grad_k", copy_of(k.grad()) },
            { "grad_v", copy_of(v.grad()) } };
    };
    switch (inputs.phase) {
    case Phase::forward:
        program.step = [forward] {
            torch::NoGradGuard no_grad;
            forward();
        };
        program.results = [output] { return std::vector<NamedTensor> { { "output", copy_of(*output) } }; };
        break;
    case Phase::backward:
        program.setup = [q, k, v, forward] {
            clear_grads({ q, k, v });
            forward();
        };
        program.step = [output, grad_out] { output->backward(grad_out); };
        program.results = grads;
        break;
    case Phase::forward_backward:
        program.setup = [q, k, v] { clear_grads({ q, k, v }); };
        program.step = [forward, output, grad_out] {
            forward();
            output->backward(grad_out);
        };
        program.results = [output, grads] {
            std::vector<NamedTensor> tensors = grads();
            tensors.insert(tensors.begin(), { "output", copy_of(*output) });
            return tensors;
        };
        break;
    case Phase::train_step:
        throw std::invalid_argument("attention has no train_step phase");
    }
    return program;
}

/// A private copy of the parameters with its own AdamW, so variants never disturb each other's state.
struct TrainingState {
    std::vector<torch::Tensor> parameters;
    std::unique_ptr<ForeachAdamW> optimizer;
    torch::Tensor loss;

    void restart(const ModelParameters& initial)
    {
        if (parameters.empty()) {
            for (const torch::Tensor& tensor : initial.tensors) {
                parameters.push_back(copy_of(tensor).requires_grad_(true));
            }
        } else {
            torch::NoGradGuard no_grad;
            for (size_t i = 0; i < parameters.size(); ++i) {
                parameters[i].copy_(initial.tensors[i]);
                parameters[i].mutable_grad().reset();
            }
        }
        optimizer = make_optimizer(parameters);
    }
};

PhaseProgram model_program(const PhaseInputs& inputs, const WorkloadMath& math)
{
    PhaseProgram program;
    if (inputs.phase == Phase::forward) {
        auto logits = std::make_shared<torch::Tensor>();
        const std::vector<torch::Tensor> parameters = inputs.parameters.tensors;
        program.step = [math, &inputs, parameters, logits] {
            torch::NoGradGuard no_grad;
            *logits = math.logits(parameters, inputs);
        };
        program.results = [logits] { return std::vector<NamedTensor> { { "logits", copy_of(*logits) } }; };
        return program;
    }
    if (inputs.phase != Phase::train_step) {
        throw std::invalid_argument("transformer_lm has no " + to_string(inputs.phase) + " phase");
    }
    auto state = std::make_shared<TrainingState>();
    state->restart(inputs.parameters);
    program.reset = [state, &inputs] { state->restart(inputs.parameters); };
    program.step = [state, math, &inputs] {
        state->optimizer->zero_grad();
        state->loss = math.loss(state->parameters, inputs);
        state->loss.backward();
        state->optimizer->step();
    };
    program.results = [state, &inputs] {
        std::vector<torch::Tensor> grads;
        for (const torch::Tensor& parameter : state->parameters) {
            grads.push_back(parameter.grad());
        }
        return train_step_results(inputs, state->loss, grads, state->parameters);
    };
    program.notes.push_back(eager_optimizer_note);
    return program;
}

} // namespace

std::vector<NamedTensor> named_copies(const std::vector<std::string>& names, const std::vector<torch::Tensor>& tensors)
{
    std::vector<NamedTensor> copies;
    for (size_t i = 0; i < names.size(); ++i) {
        copies.push_back({ names[i], copy_of(tensors.at(i)) });
    }
    return copies;
}

std::vector<NamedTensor> named_inputs(const PhaseInputs& inputs)
{
    std::vector<NamedTensor> tensors;
    auto put = [&tensors](std::string name, const torch::Tensor& tensor) {
        if (tensor.defined()) {
            tensors.push_back({ std::move(name), tensor });
        }
    };
    put("q", inputs.q);
    put("k", inputs.k);
    put("v", inputs.v);
    put("grad_out", inputs.grad_out);
    put("future_mask", inputs.future_mask);
    for (size_t i = 0; i < inputs.parameters.tensors.size(); ++i) {
        put("p" + std::to_string(i), inputs.parameters.tensors[i]);
    }
    put("tokens", inputs.tokens);
    put("targets", inputs.targets);
    put("rope_cos", inputs.rope_cos);
    put("rope_sin", inputs.rope_sin);
    return tensors;
}

WorkloadMath workload_math(ModelKernels kernels)
{
    WorkloadMath math;
    math.attention
        = [kernels](const PhaseInputs& in) { return kernels.attention(in.q, in.k, in.v, in.future_mask, in.scale); };
    math.logits = [kernels](const std::vector<torch::Tensor>& parameters, const PhaseInputs& in) {
        return model_logits(parameters, in, kernels);
    };
    math.loss = [kernels](const std::vector<torch::Tensor>& parameters, const PhaseInputs& in) {
        return model_loss(parameters, in, kernels);
    };
    return math;
}

std::vector<NamedTensor> train_step_results(const PhaseInputs& inputs, const torch::Tensor& loss,
    const std::vector<torch::Tensor>& grads, const std::vector<torch::Tensor>& parameters)
{
    std::vector<NamedTensor> tensors { { "loss", copy_of(loss) } };
    for (size_t i = 0; i < parameters.size(); ++i) {
        tensors.push_back({ grad_prefix + inputs.parameters.names[i], copy_of(grads[i]) });
    }
    for (size_t i = 0; i < parameters.size(); ++i) {
        tensors.push_back({ updated_prefix + inputs.parameters.names[i], copy_of(parameters[i]) });
    }
    return tensors;
}

std::vector<NamedTensor> replay_optimizer_step(const PhaseInputs& inputs, const std::vector<NamedTensor>& results)
{
    std::vector<torch::Tensor> parameters;
    for (size_t i = 0; i < inputs.parameters.tensors.size(); ++i) {
        const std::string name = grad_prefix + inputs.parameters.names[i];
        const auto grad = std::find_if(
            results.begin(), results.end(), [&name](const NamedTensor& tensor) { return tensor.name == name; });
        if (grad == results.end()) {
            throw std::invalid_argument("no " + name + " among the results");
        }
        parameters.push_back(copy_of(inputs.parameters.tensors[i]).requires_grad_(true));
        parameters.back().mutable_grad() = copy_of(grad->tensor);
    }
    make_optimizer(parameters)->step();
    std::vector<NamedTensor> updated;
    for (size_t i = 0; i < parameters.size(); ++i) {
        updated.push_back({ updated_prefix + inputs.parameters.names[i], copy_of(parameters[i]) });
    }
    return updated;
}

PhaseProgram build_phase_program(const PhaseInputs& inputs, WorkloadMath math)
{
    if (inputs.cell.workload == Workload::attention) {
        return attention_program(inputs, math);
    }
    return model_program(inputs, math);
}

} // namespace compilescope::engine
