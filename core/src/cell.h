// One point of a sweep: a workload at one size, on one device and dtype, with the seed of its data.
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"
#include "compilescope/text_format.h"
#include "compilescope/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace compilescope::engine {

struct Cell {
    Workload workload = Workload::attention;
    int64_t batch = 0;
    int64_t d_model = 0;
    int64_t seq_len = 0;
    bool causal = false; ///< attention only; the model is always causal
    ModelConfig model; ///< transformer_lm only
    std::string model_file; ///< model_file only: the Python file that builds the module
    std::vector<AxisValue> point; ///< model_file only: the cell's value on each of the file's axes
    Device device = Device::cpu;
    Dtype dtype = Dtype::fp32;
    uint64_t seed = 0;
    SdpaBackend sdpa_backend = SdpaBackend::auto_select; ///< for the variants built on SDPA
    std::string aoti_cache; ///< for the AOTInductor variants: config.aoti_cache, or default_aoti_cache_directory()

    CellKey key() const { return CellKey { workload, batch, d_model, seq_len, point }; }

    /// "attention d_model=64 seq_len=1024" (cell_label in compilescope/text_format.h).
    std::string label() const { return cell_label(key()); }
};

// Defined with the rest of the plan in core/src/sweep_plan.cpp (no LibTorch).

/// The cells a configuration sweeps, in plan order: by workload, then d_model x seq_len for attention, and every
/// combination of a model file's axes (the last varying fastest).
std::vector<Cell> plan_cells(const SweepConfig& config);

/// A measurement as planned: what it measures and its estimates, nothing measured yet. `cpp_programs`: the C++
/// variants alive at once (live_cpp_programs), which the memory estimate counts.
Measurement planned_measurement(const Cell& cell, Phase phase, const std::string& variant, int cpp_programs);

} // namespace compilescope::engine
