// What a variant runs for one (cell, phase): an untimed per-iteration setup, the timed step, and the tensors that
// are compared with eager. The phase semantics live here once; variants only supply the math.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "engine/workloads.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace compilescope::engine {

struct NamedTensor {
    std::string name;
    torch::Tensor tensor;
};

struct PhaseProgram {
    /// Untimed, before every call of step (e.g. the forward that builds the graph of a backward phase). May be empty.
    std::function<void()> setup;
    /// The timed region.
    std::function<void()> step;
    /// Restores the initial state (parameters, optimizer) before the call whose results are checked. May be empty.
    std::function<void()> reset;
    /// Copies of the tensors to compare after one reset + setup + step: outputs and gradients, or the loss,
    /// gradients and updated parameters of a train step.
    std::function<std::vector<NamedTensor>()> results;
    /// Notes worth reporting, gathered after warm-up (may run setup and step once more). May be empty.
    std::function<std::vector<std::string>()> inspect;
    /// Warm-up iterations (after the first call) needed before the timed region is steady, e.g. TorchScript's
    /// profiling and optimizing runs; the sweep runs at least this many whatever the configuration says.
    int min_warmup_iters = 0;
    /// Facts known when the program was built.
    std::vector<std::string> notes;
    /// Set when build() loads code compiled earlier (an AOTInductor package): what compiling it took, reported as
    /// the compile latency instead of build()'s own duration.
    std::optional<double> compile_ms;
};

/// Every tensor of `inputs` by the name the Python tools use: attention "q", "k", "v", "grad_out", "future_mask";
/// the model "p0".."pN" (parameters in order), "tokens", "targets", "rope_cos", "rope_sin", "future_mask". Undefined
/// tensors are left out. The tensors are the inputs' own (not copies).
std::vector<NamedTensor> named_inputs(const PhaseInputs& inputs);

/// Copies of tensors[i] named names[i], for PhaseProgram::results.
std::vector<NamedTensor> named_copies(const std::vector<std::string>& names, const std::vector<torch::Tensor>& tensors);

/// The math of a variant: each function must compute exactly what the eager functions in workloads.h compute.
struct WorkloadMath {
    std::function<torch::Tensor(const PhaseInputs& inputs)> attention;
    std::function<torch::Tensor(const std::vector<torch::Tensor>& parameters, const PhaseInputs& inputs)> logits;
    std::function<torch::Tensor(const std::vector<torch::Tensor>& parameters, const PhaseInputs& inputs)> loss;
};

/// The math of workloads.h with the given kernels: attention through kernels.attention on the cell's Q, K, V;
/// the model through model_logits / model_loss.
WorkloadMath workload_math(ModelKernels kernels);

/// Note recorded for every train step of build_phase_program: the same ForeachAdamW (adamw.h) as eager.
extern const char* const eager_optimizer_note;

/// Names of the train-step results: "loss", then "grad <parameter>" and "updated <parameter>" for each parameter.
extern const char* const grad_prefix;
extern const char* const updated_prefix;

/// A train step's results in that layout: copies of the loss, then of each parameter's gradient and updated value.
std::vector<NamedTensor> train_step_results(const PhaseInputs& inputs, const torch::Tensor& loss,
    const std::vector<torch::Tensor>& grads, const std::vector<torch::Tensor>& parameters);

/// What eager AdamW makes of the initial parameters in one step, given the gradients among `results` (a train
/// step's results): "updated <parameter>" tensors.
std::vector<NamedTensor> replay_optimizer_step(const PhaseInputs& inputs, const std::vector<NamedTensor>& results);

/// The program of inputs.phase with the given math. Attention: forward (no grad), backward (graph built in setup,
/// out.backward(grad_out) timed), forward_backward. Model: forward (no grad), train_step (zero grads, forward,
/// loss, backward, AdamW step) on a private copy of the initial parameters with its own optimizer.
/// The program refers to `inputs`, which must outlive it.
PhaseProgram build_phase_program(const PhaseInputs& inputs, WorkloadMath math);

} // namespace compilescope::engine
