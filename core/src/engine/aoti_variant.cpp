// aot-inductor and cuda-graph+aot-inductor: Inductor's kernels from C++, loaded from the AOTInductor package that
// the sweep exported before measuring (engine/aoti_exporter.h), with the phase semantics of phase_program.h.
#include "compilescope/python.h"
#include "compilescope/text_format.h"
#include "engine/adamw.h"
#include "engine/aoti_package.h"
#include "engine/cuda_graph.h"
#include "engine/variant_registry.h"

#include <map>
#include <memory>
#include <stdexcept>

namespace compilescope::engine {

namespace {

using Package = std::shared_ptr<const AotiPackage>;

/// The tensors a graph takes, gathered by the names in the package's meta.json; the list is built once, so every
/// call passes the same tensors (fixed addresses, as a CUDA graph capture needs).
std::vector<torch::Tensor> gather(const AotiGraph& graph, const std::map<std::string, torch::Tensor>& named)
{
    std::vector<torch::Tensor> args;
    for (const std::string& name : graph.inputs) {
        const auto found = named.find(name);
        if (found == named.end()) {
            throw std::runtime_error(
                "the package's " + graph.name + " graph takes \"" + name + "\", which this cell does not have");
        }
        args.push_back(found->second);
    }
    return args;
}

std::map<std::string, torch::Tensor> detached_inputs(const PhaseInputs& inputs)
{
    std::map<std::string, torch::Tensor> named;
    for (const NamedTensor& tensor : named_inputs(inputs)) {
        named[tensor.name] = tensor.tensor.detach(); // the package computes gradients itself; no autograd here
    }
    return named;
}

PhaseProgram attention_program(const PhaseInputs& inputs, const Package& package)
{
    PhaseProgram program;
    const std::map<std::string, torch::Tensor> named = detached_inputs(inputs);
    auto outputs = std::make_shared<std::vector<torch::Tensor>>();
    switch (inputs.phase) {
    case Phase::forward:
    case Phase::forward_backward: {
        const AotiGraph& graph = package->graph(inputs.phase == Phase::forward ? "forward" : "joint");
        const std::vector<torch::Tensor> args = gather(graph, named);
        program.step = [package, &graph, args, outputs] { *outputs = graph.run(args); };
        program.results = [package, &graph, outputs] { return named_copies(graph.outputs, *outputs); };
        break;
    }
    case Phase::backward: {
        // The forward graph saves what the backward graph needs (min-cut partition of the joint graph, as
        // torch.compile's backward has it); setup runs it untimed, as eager's setup runs its forward.
        const AotiGraph& forward = package->graph("forward");
        const AotiGraph& backward = package->graph("backward");
        const std::vector<torch::Tensor> forward_args = gather(forward, named);
        auto backward_args = std::make_shared<std::vector<torch::Tensor>>();
        program.setup = [package, &forward, &backward, forward_args, backward_args, named] {
            // The backward takes what the forward saved ("saved i") and grad_out, by the names in meta.json.
            std::map<std::string, torch::Tensor> values = named;
            const std::vector<torch::Tensor> outputs = forward.run(forward_args);
            for (size_t i = 0; i < outputs.size() && i < forward.outputs.size(); ++i) {
                values[forward.outputs[i]] = outputs[i];
            }
            *backward_args = gather(backward, values);
        };
        program.step = [package, &backward, backward_args, outputs] { *outputs = backward.run(*backward_args); };
        program.results = [package, &backward, outputs] { return named_copies(backward.outputs, *outputs); };
        break;
    }
    case Phase::train_step:
        throw std::invalid_argument("attention has no train_step phase");
    }
    return program;
}

/// The train step: the joint graph gives the loss and the gradients, then the fused AdamW of the CUDA-graph
/// variants updates a private copy of the parameters (which the next call passes to the graph again).
struct AotiTraining {
    FusedAdamW optimizer;
    std::vector<torch::Tensor> args;
    std::vector<torch::Tensor> outputs;
    std::vector<torch::Tensor> grads;

    AotiTraining(const PhaseInputs& inputs, const AotiGraph& joint)
        : optimizer(inputs.parameters.tensors)
    {
        std::map<std::string, torch::Tensor> named = detached_inputs(inputs);
        for (size_t i = 0; i < optimizer.parameters().size(); ++i) {
            named["p" + std::to_string(i)] = optimizer.parameters()[i].detach(); // updated in place by the step
        }
        args = gather(joint, named);
    }

    void step(const AotiGraph& joint)
    {
        outputs = joint.run(args);
        grads.assign(outputs.begin() + 1, outputs.end());
        optimizer.step(grads);
    }
};

PhaseProgram model_program(const PhaseInputs& inputs, const Package& package)
{
    PhaseProgram program;
    if (inputs.phase == Phase::forward) {
        const AotiGraph& graph = package->graph("forward");
        const std::vector<torch::Tensor> args = gather(graph, detached_inputs(inputs));
        auto outputs = std::make_shared<std::vector<torch::Tensor>>();
        program.step = [package, &graph, args, outputs] { *outputs = graph.run(args); };
        program.results = [package, &graph, outputs] { return named_copies(graph.outputs, *outputs); };
        return program;
    }
    if (inputs.phase != Phase::train_step) {
        throw std::invalid_argument("transformer_lm has no " + to_string(inputs.phase) + " phase");
    }
    const AotiGraph& joint = package->graph("joint");
    if (joint.outputs.size() != inputs.parameters.tensors.size() + 1) {
        throw std::runtime_error("the package's joint graph returns " + std::to_string(joint.outputs.size())
            + " tensors; the train step needs the loss and one gradient per parameter");
    }
    auto state = std::make_shared<AotiTraining>(inputs, joint);
    program.reset = [state, &inputs] { state->optimizer.restart(inputs.parameters.tensors); };
    program.step = [package, state, &joint] { state->step(joint); };
    program.results = [state, &inputs] {
        return train_step_results(inputs, state->outputs.at(0), state->grads, state->optimizer.parameters());
    };
    program.notes.push_back(std::string(fused_adamw_note) + ", in C++ after the package's joint graph");
    return program;
}

class AotInductorVariant : public Variant {
public:
    explicit AotInductorVariant(bool graphed)
        : m_graphed(graphed)
    {
    }

    std::string name() const override { return m_graphed ? cuda_graph_aot_inductor_variant : aot_inductor_variant; }
    std::string description() const override
    {
        if (m_graphed) {
            return "the aot-inductor package's runner captured in a CUDA graph and replayed (one launch per step)";
        }
        return "Inductor's kernels from C++: torch.export of the phase (joint forward-backward graphs for gradients), "
               "compiled by AOTInductor into a package (tools/reference/aoti_export.py, cached) and run by "
               "AOTIModelPackageLoader; compile latency is export plus Inductor compile";
    }
    Availability availability(Device device) const override
    {
        return m_graphed ? cuda_graph_availability(device) : device_availability(device);
    }
    Availability availability(Device device, const SweepConfig& config) const override
    {
        Availability runs = availability(device);
        if (!runs.available) {
            return runs;
        }
        return python_script_availability(aoti_exporter_path(), "aoti_export.py", config);
    }
    bool compiles() const override { return true; }

    PhaseProgram build(const PhaseInputs& inputs) const override
    {
        const AotiPackageRequest request = aoti_package_request(inputs, inputs.cell.aoti_cache);
        const Package package = std::make_shared<AotiPackage>(load_aoti_package(request));
        PhaseProgram program = inputs.cell.workload == Workload::attention ? attention_program(inputs, package)
                                                                           : model_program(inputs, package);
        if (m_graphed) {
            program = capture_phase_program(std::move(program));
        }
        program.compile_ms = package->export_ms + package->compile_ms;
        program.notes.push_back("compile_ms: the package's export (" + fixed(package->export_ms / 1e3, 1)
            + " s) and Inductor compile (" + fixed(package->compile_ms / 1e3, 1) + " s) by torch "
            + package->torch_version + (package->created.empty() ? "" : ", made " + package->created));
        return program;
    }

private:
    bool m_graphed;
};

} // namespace

std::shared_ptr<const Variant> make_aot_inductor_variant()
{
    return std::make_shared<AotInductorVariant>(false);
}

std::shared_ptr<const Variant> make_cuda_graph_aot_inductor_variant()
{
    return std::make_shared<AotInductorVariant>(true);
}

} // namespace compilescope::engine
