// Small sweeps shared by the engine tests: sizes that run in well under a second on a CPU.
#pragma once

#include "compilescope/config.h"
#include "compilescope/results.h"

#include <string>

namespace compilescope {

/// Both workloads at toy sizes, eager and TorchScript, one warm-up and two timed iterations.
inline SweepConfig tiny_config()
{
    SweepConfig config;
    config.workloads = { Workload::attention, Workload::transformer_lm };
    config.attention.d_models = { 8 };
    config.attention.seq_lens = { 16, 32 };
    config.attention.batch = 2;
    config.model.vocab_size = 32;
    config.model.context_length = 16;
    config.model.d_model = 16;
    config.model.num_layers = 1;
    config.model.num_heads = 2;
    config.model.d_ff = 32;
    config.model.batch = 2;
    config.model.seq_len = 8;
    config.variants = { "eager", "torchscript" };
    config.measure.warmup_iters = 1;
    config.measure.fixed_iters = 2;
    return config;
}

/// "attention/8/16/forward/eager": names a measurement in a failure message.
inline std::string key_of(const Measurement& m)
{
    return to_string(m.cell.workload) + "/" + std::to_string(m.cell.d_model) + "/" + std::to_string(m.cell.seq_len)
        + "/" + to_string(m.phase) + "/" + m.variant;
}

} // namespace compilescope
