#include "engine/variant_registry.h"

namespace compilescope::engine {

namespace {

class EagerVariant : public Variant {
public:
    std::string name() const override { return eager_variant; }
    std::string description() const override
    {
        return "the workloads written as plain ATen calls, run op by op (the baseline)";
    }
    Availability availability(Device device) const override { return device_availability(device); }
    bool compiles() const override { return false; }

    PhaseProgram build(const PhaseInputs& inputs) const override
    {
        return build_phase_program(inputs, workload_math(ModelKernels {}));
    }
};

} // namespace

std::shared_ptr<const Variant> make_eager_variant()
{
    return std::make_shared<EagerVariant>();
}

} // namespace compilescope::engine
