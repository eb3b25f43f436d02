// TF32 matmuls for a tf32 sweep on CUDA, for the lifetime of a scope.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/config.h"

namespace compilescope::engine {

/// Allows TF32 matmuls for a tf32 sweep on CUDA, and restores the previous setting.
class Tf32Scope {
public:
    explicit Tf32Scope(const SweepConfig& config);
    ~Tf32Scope();
    Tf32Scope(const Tf32Scope&) = delete;
    Tf32Scope& operator=(const Tf32Scope&) = delete;

private:
    bool m_active = false;
    bool m_previous = false;
};

} // namespace compilescope::engine
