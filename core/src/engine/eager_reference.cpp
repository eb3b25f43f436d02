#include "engine/eager_reference.h"

#include "compilescope/variant_names.h"
#include "engine/variant_registry.h"

namespace compilescope::engine {

std::vector<NamedTensor> EagerReference::fp32(const PhaseInputs& inputs)
{
    if (!m_fp32) {
        m_fp32_inputs = upcast_to_fp32(inputs);
        const PhaseProgram program = find_variant(eager_variant)->build(m_fp32_inputs);
        if (program.setup) {
            program.setup();
        }
        program.step();
        m_fp32 = program.results();
    }
    return *m_fp32;
}

} // namespace compilescope::engine
