#include "engine/cuda_graph.h"

#include "compilescope/failpoints.h"
#include "engine/adamw.h"
#include "engine/variant_registry.h"

#ifdef COMPILESCOPE_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace compilescope::engine {

const char* const graphed_optimizer_note
    = "optimizer: AdamW (lr 1e-3, betas 0.9/0.95, weight decay 0.01) as at::_fused_adamw_, captured inside the "
      "graph with its step counters on the device";

Availability cuda_graph_availability(Device device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device != Device::cuda) {
        return { false, "CUDA graphs need device cuda" };
    }
    return device_availability(device);
#else
    (void)device;
    return { false, "LibTorch built without CUDA" };
#endif
}

#ifdef COMPILESCOPE_WITH_CUDA

namespace {

/// LibTorch's graph, able to give up a capture that CUDA invalidated. CUDAGraph::capture_end throws at
/// cudaStreamEndCapture before it stops routing the stream's allocations to the graph's private pool, and its reset()
/// releases that pool only after a capture that ended: the pool stayed held for the rest of the process (seen on an
/// H100: "available memory 484.6 MiB" on an 80 GB GPU after a few failed captures).
class Graph : public at::cuda::CUDAGraph {
public:
    /// capture_end, or when it throws, abandon_capture before the error goes on.
    void end_capture()
    {
        try {
            capture_end();
        } catch (...) {
            abandon_capture();
            throw;
        }
    }

private:
    /// After capture_end threw: ends the capture if the stream still records, and hands the pool back. What it
    /// cannot put right (torch 2.11's generator, left in capture mode) restore_device finds and mends.
    void abandon_capture() noexcept
    {
        cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
        if (cudaStreamIsCapturing(capture_stream_.stream(), &status) == cudaSuccess
            && status != cudaStreamCaptureStatusNone) {
            cudaGraph_t partial = nullptr;
            if (cudaStreamEndCapture(capture_stream_.stream(), &partial) == cudaSuccess && partial) {
                cudaGraphDestroy(partial);
            }
        }
        (void)cudaGetLastError(); // capture errors are not sticky: clear this one for the next call
        try {
            c10::cuda::CUDACachingAllocator::endAllocateToPool(capture_dev_, mempool_id_);
        } catch (const std::exception&) {
            // capture_end got past that point before it threw
        }
        try {
            c10::cuda::CUDACachingAllocator::releasePool(capture_dev_, mempool_id_);
        } catch (const std::exception&) {
        }
    }
};

/// The "capture" failpoint (compilescope/failpoints.h), hit once per capture: `invalidate` makes the legacy default
/// stream wait on the capturing stream half-way, the very operation that broke captures on a GPU (CUDA refuses it
/// and invalidates the capture); any other action throws inside the capture.
class CaptureFault {
public:
    CaptureFault()
        : m_action(failpoints::hit("capture"))
    {
        if (m_action == "invalidate") {
            cudaEventCreateWithFlags(&m_event, cudaEventDisableTiming); // before the capture, where it is allowed
        }
    }
    ~CaptureFault()
    {
        if (m_event) {
            cudaEventDestroy(m_event);
        }
    }
    CaptureFault(const CaptureFault&) = delete;
    CaptureFault& operator=(const CaptureFault&) = delete;

    /// Called inside the capture, after the captured work.
    void strike() const
    {
        if (!m_action) {
            return;
        }
        std::string detail = *m_action;
        if (m_event) {
            cudaEventRecord(m_event, c10::cuda::getCurrentCUDAStream().stream());
            detail += ": " + std::string(cudaGetErrorString(cudaStreamWaitEvent(cudaStreamLegacy, m_event, 0)));
        }
        throw std::runtime_error("injected fault (" + detail + ")");
    }

private:
    std::optional<std::string> m_action;
    cudaEvent_t m_event = nullptr;
};

/// Work done on a side stream, as capture requires (the default stream cannot be captured); the device is idle
/// before and after, so the graphs replay on the default stream with their inputs and outputs ready.
class SideStream {
public:
    SideStream()
        : m_guard(c10::cuda::getStreamFromPool())
    {
        torch::cuda::synchronize();
    }
    ~SideStream() { torch::cuda::synchronize(); }
    SideStream(const SideStream&) = delete;
    SideStream& operator=(const SideStream&) = delete;

private:
    c10::cuda::CUDAStreamGuard m_guard;
};

void warm_up(const std::function<void()>& body, int count)
{
    for (int i = 0; i < count; ++i) {
        body();
    }
    torch::cuda::synchronize();
}

/// Captures one run of body; pool: share the memory pool of an earlier graph of the same program.
std::shared_ptr<Graph> capture(const std::function<void()>& body, at::cuda::MempoolId_t pool = { 0, 0 })
{
    auto graph = std::make_shared<Graph>();
    const CaptureFault fault;
    graph->capture_begin(pool);
    try {
        body();
        fault.strike();
    } catch (...) {
        // End the capture so that the stream is usable again, then report the original error.
        try {
            graph->end_capture();
        } catch (...) {
        }
        throw;
    }
    graph->end_capture();
    return graph;
}

/// The cell's Q, K and V as leaves of the capture's own: the same storage (the addresses the graph reads), a fresh
/// autograd identity. Autograd keeps one gradient accumulator per leaf and records with it the stream of the forward
/// that made it. Eager's forward on the default stream makes one for the cell's leaves, and while the phase's
/// programs take turns it stays alive; a captured backward that reached it would make the legacy stream wait on the
/// capturing one, which CUDA refuses ("operation would make the legacy stream depend on a capturing blocking
/// stream"). Fresh leaves get accumulators made on the capture's side stream, by the warm-ups.
std::shared_ptr<const PhaseInputs> with_own_leaves(const PhaseInputs& inputs)
{
    auto own = std::make_shared<PhaseInputs>(inputs);
    for (torch::Tensor* leaf : { &own->q, &own->k, &own->v }) {
        if (leaf->defined()) {
            *leaf = leaf->detach().requires_grad_(leaf->requires_grad());
        }
    }
    return own;
}

PhaseProgram graphed_attention(const PhaseInputs& inputs, const WorkloadMath& math, int warmups)
{
    PhaseProgram program;
    auto output = std::make_shared<torch::Tensor>();
    auto grads = std::make_shared<std::vector<torch::Tensor>>();
    const std::shared_ptr<const PhaseInputs> own = with_own_leaves(inputs);
    const std::vector<torch::Tensor> leaves { own->q, own->k, own->v };
    const torch::Tensor grad_out = inputs.grad_out;
    auto forward = [math, own, output] { *output = math.attention(*own); };
    auto backward
        = [output, grads, leaves, grad_out] { *grads = torch::autograd::grad({ *output }, leaves, { grad_out }); };
    const std::vector<std::string> grad_names { "grad_q", "grad_k", "grad_v" };
    const SideStream side;
    switch (inputs.phase) {
    case Phase::forward: {
        auto body = [forward] {
            torch::NoGradGuard no_grad;
            forward();
        };
        warm_up(body, warmups);
        const std::shared_ptr<Graph> graph = capture(body);
        program.step = [graph] { graph->replay(); };
        program.results = [output] { return named_copies({ "output" }, { *output }); };
        break;
    }
    case Phase::backward: {
        warm_up(
            [forward, backward] {
                forward();
                backward();
            },
            warmups);
        const std::shared_ptr<Graph> forward_graph = capture(forward);
        const std::shared_ptr<Graph> backward_graph = capture(backward, forward_graph->pool());
        program.setup = [forward_graph] { forward_graph->replay(); };
        program.step = [backward_graph] { backward_graph->replay(); };
        program.results = [grads, grad_names] { return named_copies(grad_names, *grads); };
        break;
    }
    case Phase::forward_backward: {
        auto body = [forward, backward] {
            forward();
            backward();
        };
        warm_up(body, warmups);
        const std::shared_ptr<Graph> graph = capture(body);
        program.step = [graph] { graph->replay(); };
        program.results = [output, grads, grad_names] {
            std::vector<NamedTensor> tensors = named_copies(grad_names, *grads);
            tensors.insert(tensors.begin(), { "output", output->detach().clone() });
            return tensors;
        };
        break;
    }
    case Phase::train_step:
        throw std::invalid_argument("attention has no train_step phase");
    }
    // The graphs hold the tensors they captured; the program keeps the graphs (through step and setup).
    return program;
}

/// The captured train step's parameters and AdamW state (at fixed addresses for the graph) and its outputs.
struct GraphedTraining {
    FusedAdamW optimizer;
    std::vector<torch::Tensor> grads;
    torch::Tensor loss;

    explicit GraphedTraining(const ModelParameters& initial)
        : optimizer(initial.tensors)
    {
    }

    void step(const WorkloadMath& math, const PhaseInputs& inputs)
    {
        loss = math.loss(optimizer.parameters(), inputs);
        grads = torch::autograd::grad({ loss }, optimizer.parameters());
        optimizer.step(grads);
    }
};

PhaseProgram graphed_model(const PhaseInputs& inputs, const WorkloadMath& math, int warmups)
{
    PhaseProgram program;
    const SideStream side;
    if (inputs.phase == Phase::forward) {
        auto logits = std::make_shared<torch::Tensor>();
        const std::vector<torch::Tensor> parameters = inputs.parameters.tensors;
        auto body = [math, &inputs, parameters, logits] {
            torch::NoGradGuard no_grad;
            *logits = math.logits(parameters, inputs);
        };
        warm_up(body, warmups);
        const std::shared_ptr<Graph> graph = capture(body);
        program.step = [graph] { graph->replay(); };
        program.results = [logits] { return named_copies({ "logits" }, { *logits }); };
        return program;
    }
    if (inputs.phase != Phase::train_step) {
        throw std::invalid_argument("transformer_lm has no " + to_string(inputs.phase) + " phase");
    }
    auto state = std::make_shared<GraphedTraining>(inputs.parameters);
    auto body = [state, math, &inputs] { state->step(math, inputs); };
    warm_up(body, warmups);
    const std::shared_ptr<Graph> graph = capture(body);
    state->optimizer.restart(inputs.parameters.tensors);
    program.reset = [state, &inputs] { state->optimizer.restart(inputs.parameters.tensors); };
    program.step = [graph] { graph->replay(); };
    program.results = [state, &inputs] {
        return train_step_results(inputs, state->loss, state->grads, state->optimizer.parameters());
    };
    program.notes.push_back(graphed_optimizer_note);
    return program;
}

} // namespace

PhaseProgram capture_phase_program(PhaseProgram program, int warmups)
{
    const std::function<void()> setup = program.setup;
    const std::function<void()> step = program.step;
    {
        const SideStream side;
        warm_up(
            [&] {
                if (setup) {
                    setup();
                }
                step();
            },
            std::max(warmups, capture_warmups));
        if (setup) {
            const std::shared_ptr<Graph> setup_graph = capture(setup);
            const std::shared_ptr<Graph> step_graph = capture(step, setup_graph->pool());
            // The replays keep the captured functions, and with them what they hold (the package, its outputs).
            program.setup = [setup_graph, setup] { setup_graph->replay(); };
            program.step = [step_graph, step] { step_graph->replay(); };
        } else {
            const std::shared_ptr<Graph> graph = capture(step);
            program.step = [graph, step] { graph->replay(); };
        }
    }
    if (program.reset) {
        program.reset();
    }
    return program;
}

PhaseProgram build_graphed_phase_program(const PhaseInputs& inputs, WorkloadMath math, int warmups)
{
    warmups = std::max(warmups, capture_warmups);
    if (inputs.cell.workload == Workload::attention) {
        return graphed_attention(inputs, math, warmups);
    }
    return graphed_model(inputs, math, warmups);
}

#else

// Unnamed by-value parameters: the CUDA build's definitions take them by value (and keep or change them).
PhaseProgram build_graphed_phase_program(
    const PhaseInputs&, WorkloadMath, int) // NOLINT(performance-unnecessary-value-param)
{
    throw std::logic_error("CUDA graphs: " + cuda_graph_availability(Device::cpu).reason);
}

PhaseProgram capture_phase_program(PhaseProgram, int) // NOLINT(performance-unnecessary-value-param)
{
    throw std::logic_error("CUDA graphs: " + cuda_graph_availability(Device::cpu).reason);
}

#endif

} // namespace compilescope::engine
