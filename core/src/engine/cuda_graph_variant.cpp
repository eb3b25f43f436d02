#include "engine/cuda_graph.h"
#include "engine/sdpa.h"
#include "engine/torchscript_variant.h"
#include "engine/variant_registry.h"

namespace compilescope::engine {

namespace {

/// cuda-graph[+torchscript][+fused-sdpa]: one of the maths captured whole, each phase into CUDA graphs.
class CudaGraphVariant : public Variant {
public:
    /// `name` is one of the cuda-graph variants of variant_names.h; its traits say which maths are captured.
    explicit CudaGraphVariant(const char* name)
        : m_what(variant_traits(name))
    {
    }

    std::string name() const override { return m_what.name; }
    std::string description() const override
    {
        std::string text = "each phase captured once into a CUDA graph and replayed (one launch per step); the "
                           "train step includes a fused AdamW";
        if (m_what.torchscript) {
            text += "; captures TorchScript's executor, so NNC-fused kernels";
        }
        if (m_what.fused_sdpa) {
            text += "; attention through at::scaled_dot_product_attention as in fused-sdpa";
        }
        return text;
    }
    Availability availability(Device device) const override
    {
        const Availability graphs = cuda_graph_availability(device);
        return graphs.available && m_what.fused_sdpa ? sdpa_availability(device) : graphs;
    }
    bool compiles() const override { return true; }

    PhaseProgram build(const PhaseInputs& inputs) const override
    {
        std::string kernel_note;
        if (m_what.fused_sdpa) {
            kernel_note = sdpa_kernel_note(inputs, inputs.cell.sdpa_backend); // throws VariantUnavailable first
        }
        // The backend is chosen while capturing; replays run the captured kernels whatever the setting is then.
        const SdpaBackendScope scope(inputs.cell.sdpa_backend);
        PhaseProgram program;
        if (m_what.torchscript) {
            TorchScriptMath script = torchscript_math(inputs, m_what.fused_sdpa, /*capturable=*/true);
            // Warm-ups and capture run TorchScript's executor; the capture run shows which fusion groups formed.
            const std::vector<std::string> fusion = script.inspect(
                [&] { program = build_graphed_phase_program(inputs, script.math, script.min_warmup_iters + 1); });
            program.notes.insert(program.notes.end(), fusion.begin(), fusion.end());
        } else {
            const ModelKernels kernels { m_what.fused_sdpa ? fused_attention : attention_forward,
                embedding_by_index_select };
            program = build_graphed_phase_program(inputs, workload_math(kernels));
        }
        if (!kernel_note.empty()) {
            program.notes.push_back(kernel_note);
        }
        return program;
    }

private:
    VariantTraits m_what;
};

} // namespace

std::shared_ptr<const Variant> make_cuda_graph_variant()
{
    return std::make_shared<CudaGraphVariant>(cuda_graph_variant);
}

std::shared_ptr<const Variant> make_cuda_graph_fused_sdpa_variant()
{
    return std::make_shared<CudaGraphVariant>(cuda_graph_fused_sdpa_variant);
}

std::shared_ptr<const Variant> make_cuda_graph_torchscript_fused_sdpa_variant()
{
    return std::make_shared<CudaGraphVariant>(cuda_graph_torchscript_fused_sdpa_variant);
}

} // namespace compilescope::engine
