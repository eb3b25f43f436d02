#include "engine/sdpa.h"
#include "engine/variant_registry.h"

namespace compilescope::engine {

namespace {

class FusedSdpaVariant : public Variant {
public:
    std::string name() const override { return fused_sdpa_variant; }
    std::string description() const override
    {
        return "eager, with attention through at::scaled_dot_product_attention: one fused kernel (flash, "
               "memory-efficient or cuDNN, as --sdpa-backend allows) instead of matmul, scale, mask, softmax, matmul";
    }
    Availability availability(Device device) const override { return sdpa_availability(device); }
    bool compiles() const override { return false; }

    PhaseProgram build(const PhaseInputs& inputs) const override
    {
        const SdpaBackend backend = inputs.cell.sdpa_backend;
        std::string kernel_note = sdpa_kernel_note(inputs, backend); // throws VariantUnavailable first
        PhaseProgram program = build_phase_program(inputs, workload_math({ fused_attention, embedding_lookup }));
        restrict_sdpa_backend(program, backend);
        program.notes.push_back(std::move(kernel_note));
        return program;
    }
};

} // namespace

std::shared_ptr<const Variant> make_fused_sdpa_variant()
{
    return std::make_shared<FusedSdpaVariant>();
}

} // namespace compilescope::engine
