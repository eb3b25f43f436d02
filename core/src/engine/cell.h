// One point of a sweep: a workload at one size, on one device and dtype, with the seed of its data.
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"
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
    Device device = Device::cpu;
    Dtype dtype = Dtype::fp32;
    uint64_t seed = 0;
    SdpaBackend sdpa_backend = SdpaBackend::auto_select; ///< for the variants built on SDPA
    std::string aoti_cache; ///< for the AOTInductor variants: the package cache directory, resolved

    CellKey key() const { return CellKey { workload, batch, d_model, seq_len }; }

    /// "attention d_model=64 seq_len=1024" or "transformer_lm d_model=192 seq_len=192".
    std::string label() const
    {
        return to_string(workload) + " d_model=" + std::to_string(d_model) + " seq_len=" + std::to_string(seq_len);
    }
};

/// The cells a configuration sweeps, in plan order: by workload, then d_model x seq_len for attention.
std::vector<Cell> plan_cells(const SweepConfig& config);

} // namespace compilescope::engine
