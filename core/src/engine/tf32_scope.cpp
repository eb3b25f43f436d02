#include "engine/tf32_scope.h"

namespace compilescope::engine {

Tf32Scope::Tf32Scope(const SweepConfig& config)
    : m_active(config.dtype == Dtype::tf32 && config.device == Device::cuda)
{
    if (m_active) {
        m_previous = at::globalContext().allowTF32CuBLAS();
        at::globalContext().setAllowTF32CuBLAS(true);
    }
}

Tf32Scope::~Tf32Scope()
{
    if (m_active) {
        at::globalContext().setAllowTF32CuBLAS(m_previous);
    }
}

} // namespace compilescope::engine
