// The reference every variant of a (cell, phase) is checked against: eager's tensors.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "engine/phase_program.h"
#include "engine/workloads.h"

#include <optional>
#include <string>
#include <vector>

namespace compilescope::engine {

/// Eager's tensors for one (cell, phase), recorded by the eager measurement (validation puts eager first).
class EagerReference {
public:
    void set(std::vector<NamedTensor> tensors) { m_tensors = std::move(tensors); }
    void fail(std::string reason) { m_error = std::move(reason); }
    /// The reference cannot exist for this phase (a model file without a loss): the others are unavailable too.
    void unavailable(std::string reason)
    {
        m_error = std::move(reason);
        m_unavailable = true;
    }
    bool is_unavailable() const { return m_unavailable; }

    /// The tensors, or nullptr with error() saying why there are none.
    const std::vector<NamedTensor>* get() const { return m_tensors ? &*m_tensors : nullptr; }
    const std::string& error() const { return m_error; }

    /// Eager's tensors on the inputs cast to fp32, computed on first use (low-precision checks only).
    std::vector<NamedTensor> fp32(const PhaseInputs& inputs);

private:
    std::optional<std::vector<NamedTensor>> m_tensors;
    std::string m_error = "eager did not run before this variant";
    bool m_unavailable = false;
    PhaseInputs m_fp32_inputs;
    std::optional<std::vector<NamedTensor>> m_fp32;
};

} // namespace compilescope::engine
