#include "engine/cuda_graph.h"
#include "engine/sdpa.h"
#include "engine/variant_registry.h"

namespace compilescope::engine {

namespace {

/// cuda-graph: eager's math captured whole; cuda-graph+fused-sdpa: the same with fused-sdpa's attention.
class CudaGraphVariant : public Variant {
public:
    explicit CudaGraphVariant(bool fused_sdpa)
        : m_fused_sdpa(fused_sdpa)
    {
    }

    std::string name() const override { return m_fused_sdpa ? "cuda-graph+fused-sdpa" : "cuda-graph"; }
    std::string description() const override
    {
        return std::string("each phase captured once into a CUDA graph and replayed (one launch per step); the "
                           "train step includes a fused AdamW")
            + (m_fused_sdpa ? ", with attention through at::scaled_dot_product_attention as in fused-sdpa" : "");
    }
    Availability availability(Device device) const override
    {
        const Availability graphs = cuda_graph_availability(device);
        return graphs.available && m_fused_sdpa ? sdpa_availability(device) : graphs;
    }
    bool compiles() const override { return true; }

    PhaseProgram build(const PhaseInputs& inputs) const override
    {
        ModelKernels kernels { attention_forward, embedding_by_index_select };
        if (!m_fused_sdpa) {
            return build_graphed_phase_program(inputs, workload_math(kernels));
        }
        const SdpaBackend backend = inputs.cell.sdpa_backend;
        std::string kernel_note = sdpa_kernel_note(inputs, backend); // throws VariantUnavailable first
        kernels.attention = fused_attention;
        // The backend is chosen while capturing; replays run the captured kernels whatever the setting is then.
        const SdpaBackendScope scope(backend);
        PhaseProgram program = build_graphed_phase_program(inputs, workload_math(kernels));
        program.notes.push_back(std::move(kernel_note));
        return program;
    }

private:
    bool m_fused_sdpa;
};

} // namespace

std::shared_ptr<const Variant> make_cuda_graph_variant()
{
    return std::make_shared<CudaGraphVariant>(false);
}

std::shared_ptr<const Variant> make_cuda_graph_fused_sdpa_variant()
{
    return std::make_shared<CudaGraphVariant>(true);
}

} // namespace compilescope::engine
